using Mandate.Core.Errors;
using System.Text;
using System.Text.Json;
using Mandate.Core.Mcp;

namespace Mandate.Core.Tests.Mcp;

/// <summary>Error responses: shape, id echo, the rule in data, and whole bodies.</summary>
public sealed class JsonRpcErrorsTests
{
    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    private static JsonRpcId Id(string json)
    {
        Assert.True(JsonRpcId.TryRead(Json(json), allowNull: false, out var id));
        return id;
    }

    [Fact]
    public void ToBytes_EchoesTheIdExactlyAndCarriesTheRule()
    {
        var bytes = JsonRpcErrors.ToBytes(Id("\"\\u0061-1\""), new JsonRpcError(ErrorCatalogue.McpUnknownMethod, "method `x` is not known"));

        Assert.Equal("""{"jsonrpc":"2.0","id":"\u0061-1","error":{"code":-32601,"message":"method `x` is not known","data":{"rule":"mcp.unknown_method"}}}""", Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void ToBytes_WithoutId_WritesNull()
    {
        var root = Json(Encoding.UTF8.GetString(JsonRpcErrors.ToBytes(null, new JsonRpcError(ErrorCatalogue.JsonRpcParse, "the body is not valid json"))));

        Assert.Equal(JsonValueKind.Null, root.GetProperty("id").ValueKind);
        Assert.Equal(-32700, root.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("jsonrpc.parse", root.GetProperty("error").GetProperty("data").GetProperty("rule").GetString());
    }

    [Fact]
    public void ToBytes_DataObject_IsMergedAndCannotOverrideTheRule()
    {
        var bytes = JsonRpcErrors.ToBytes(Id("5"), new JsonRpcError(ErrorCatalogue.McpToolName, "m"), Json("""{"rule":"forged","tool":"x"}"""));
        var data = Json(Encoding.UTF8.GetString(bytes)).GetProperty("error").GetProperty("data");

        Assert.Equal("mcp.tool_name", data.GetProperty("rule").GetString());
        Assert.Equal("x", data.GetProperty("tool").GetString());
        Assert.Equal(2, data.EnumerateObject().Count());
    }

    [Fact]
    public void ToBytes_NonObjectData_GoesUnderDetail()
    {
        var bytes = JsonRpcErrors.ToBytes(Id("5"), new JsonRpcError(ErrorCatalogue.McpToolName, "m"), Json("[1,2]"));

        Assert.Equal(2, Json(Encoding.UTF8.GetString(bytes)).GetProperty("error").GetProperty("data").GetProperty("detail").GetArrayLength());
    }

    [Fact]
    public void ForInvalid_WholeBodyError_IsOneResponseWithNullId()
    {
        var result = JsonRpcParser.Parse("""{"jsonrpc":"2.0","id":1,"id":2,"method":"ping"}"""u8, JsonRpcLimits.Default, allowBatch: false);

        var body = Json(Encoding.UTF8.GetString(JsonRpcResponseBody.ForInvalid(result)!));

        Assert.Equal(JsonValueKind.Null, body.GetProperty("id").ValueKind);
        Assert.Equal("jsonrpc.duplicate_key", body.GetProperty("error").GetProperty("data").GetProperty("rule").GetString());
    }

    [Fact]
    public void ForInvalid_Batch_AnswersEachInvalidMessageInAnArray()
    {
        var result = JsonRpcParser.Parse("""[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","id":"b","method":"ping","x":1},{"jsonrpc":"1.0","id":3,"method":"ping"}]"""u8, JsonRpcLimits.Default, allowBatch: true);

        var body = Json(Encoding.UTF8.GetString(JsonRpcResponseBody.ForInvalid(result)!));

        Assert.Equal(JsonValueKind.Array, body.ValueKind);
        Assert.Equal(["\"b\"", "3"], body.EnumerateArray().Select(e => e.GetProperty("id").GetRawText()));
        Assert.Equal(["jsonrpc.unknown_member", "jsonrpc.bad_version"], body.EnumerateArray().Select(e => e.GetProperty("error").GetProperty("data").GetProperty("rule").GetString()));
    }

    [Fact]
    public void ForInvalid_ValidBody_IsNull() =>
        Assert.Null(JsonRpcResponseBody.ForInvalid(JsonRpcParser.Parse("""{"jsonrpc":"2.0","id":1,"method":"ping"}"""u8, JsonRpcLimits.Default, false)));

    [Fact]
    public void Build_BatchJoinsResponsesAndSingleIsUnchanged()
    {
        ReadOnlyMemory<byte> a = """{"jsonrpc":"2.0","id":1,"result":{}}"""u8.ToArray();
        ReadOnlyMemory<byte> b = """{"jsonrpc":"2.0","id":2,"result":{"x":1}}"""u8.ToArray();

        Assert.Equal("[" + Encoding.UTF8.GetString(a.Span) + "," + Encoding.UTF8.GetString(b.Span) + "]", Encoding.UTF8.GetString(JsonRpcResponseBody.Build(true, [a, b])!));
        Assert.Equal(a.ToArray(), JsonRpcResponseBody.Build(false, [a]));
        Assert.Null(JsonRpcResponseBody.Build(true, []));
    }

    [Fact]
    public void JsonRpcId_EqualityIsByValue()
    {
        Assert.Equal(Id("\"a\""), Id("\"\\u0061\""));
        Assert.NotEqual(Id("1"), Id("\"1\""));
        Assert.Equal(Id("0"), Id("-0"));
        Assert.Equal("-0", Id("-0").RawJson);
        Assert.False(JsonRpcId.TryRead(Json("null"), allowNull: false, out _));
        Assert.True(JsonRpcId.TryRead(Json("null"), allowNull: true, out var nullId) && nullId.IsNull);
    }
}
