using System.Text;
using System.Text.Json;
using Mandate.Core.Mcp;

namespace Mandate.Core.Tests.Mcp;

/// <summary>The strict JSON-RPC reader: every rule with the hostile input that tests it.</summary>
public sealed class JsonRpcParserTests
{
    private static JsonRpcParseResult Parse(string json, bool allowBatch = false, JsonRpcLimits? limits = null) =>
        JsonRpcParser.Parse(Encoding.UTF8.GetBytes(json), limits ?? JsonRpcLimits.Default, allowBatch);

    private static JsonRpcMessage Single(string json)
    {
        var result = Parse(json);
        Assert.Null(result.Error);
        return Assert.Single(result.Messages);
    }

    private static void AssertBodyRefused(JsonRpcParseResult result, int code, string rule)
    {
        Assert.NotNull(result.Error);
        Assert.Equal(rule, result.Error!.Rule.Code);
        Assert.Equal(code, result.Error.Code);
        Assert.Empty(result.Messages);
        Assert.False(result.AllValid);
    }

    private static void AssertInvalid(string json, string rule)
    {
        var message = Single(json);
        Assert.Equal(JsonRpcMessageKind.Invalid, message.Kind);
        Assert.Equal(rule, message.Error!.Rule.Code);
    }

    [Fact]
    public void Parse_Request_ReadsMethodIdAndParams()
    {
        var message = Single("""{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"echo","arguments":{"x":1}}}""");

        Assert.Equal(JsonRpcMessageKind.Request, message.Kind);
        Assert.Equal("tools/call", message.Method);
        Assert.Equal("7", message.Id!.Value.RawJson);
        Assert.Equal(7, message.Id.Value.NumberValue);
        Assert.Equal("echo", message.Params!.Value.GetProperty("name").GetString());
        Assert.Null(message.Error);
    }

    [Fact]
    public void Parse_Notification_HasNoId()
    {
        var message = Single("""{"jsonrpc":"2.0","method":"notifications/initialized"}""");

        Assert.Equal(JsonRpcMessageKind.Notification, message.Kind);
        Assert.Null(message.Id);
    }

    [Fact]
    public void Parse_ResultResponse_IsResponse()
    {
        var message = Single("""{"jsonrpc":"2.0","id":"s-1","result":{"model":"m"}}""");

        Assert.Equal(JsonRpcMessageKind.Response, message.Kind);
        Assert.Equal("m", message.Result!.Value.GetProperty("model").GetString());
        Assert.Null(message.ResponseError);
    }

    [Fact]
    public void Parse_ErrorResponseWithNullId_IsResponse()
    {
        var message = Single("""{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"bad","data":{"x":1}}}""");

        Assert.Equal(JsonRpcMessageKind.Response, message.Kind);
        Assert.True(message.Id!.Value.IsNull);
        Assert.Equal(-32600, message.ResponseError!.Value.GetProperty("code").GetInt32());
    }

    [Fact]
    public void Parse_RawBytes_AreTheExactMessageBytes()
    {
        const string first = """{ "jsonrpc" : "2.0", "id" : "a\u0062", "method":"ping" }""";
        const string second = """{"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":1,"progress":0.5}}""";
        var body = $" [\n {first} ,\t{second}\n] ";

        var result = Parse(body, allowBatch: true);

        Assert.True(result.AllValid);
        Assert.True(result.IsBatch);
        Assert.Equal(first, Encoding.UTF8.GetString(result.Messages[0].Raw.Span));
        Assert.Equal(second, Encoding.UTF8.GetString(result.Messages[1].Raw.Span));
    }

    [Fact]
    public void Parse_SingleMessageRaw_ExcludesSurroundingWhitespace()
    {
        const string message = """{"jsonrpc":"2.0","id":1,"method":"ping"}""";

        var parsed = Single("\r\n  " + message + "  \n");

        Assert.Equal(message, Encoding.UTF8.GetString(parsed.Raw.Span));
    }

    [Fact]
    public void Parse_StringId_EchoesRawEscapes()
    {
        var message = Single("""{"jsonrpc":"2.0","id":"\u0041b\/c","method":"ping"}""");

        Assert.Equal("\"\\u0041b\\/c\"", message.Id!.Value.RawJson);
        Assert.Equal("Ab/c", message.Id.Value.StringValue);
        Assert.True(message.Id.Value.IsString);
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("1.0")]
    [InlineData("1e3")]
    [InlineData("1E3")]
    [InlineData("-0.0")]
    [InlineData("99999999999999999999")]
    [InlineData("true")]
    [InlineData("{}")]
    [InlineData("[1]")]
    [InlineData("null")]
    public void Parse_RequestWithBadId_IsInvalid(string id)
    {
        var message = Single($$"""{"jsonrpc":"2.0","id":{{id}},"method":"ping"}""");

        Assert.Equal(JsonRpcMessageKind.Invalid, message.Kind);
        Assert.Equal("jsonrpc.bad_id", message.Error!.Rule.Code);
        Assert.Equal(JsonRpcErrorCodes.InvalidRequest, message.Error.Code);
        Assert.Null(message.Id);
    }

    [Theory]
    [InlineData("\"2.0 \"")]
    [InlineData("\"2\"")]
    [InlineData("\"1.0\"")]
    [InlineData("2.0")]
    [InlineData("\"2.00\"")]
    [InlineData("\"２.0\"")]
    [InlineData("null")]
    public void Parse_BadVersion_IsInvalidAndKeepsId(string version)
    {
        var message = Single($$"""{"jsonrpc":{{version}},"id":3,"method":"ping"}""");

        Assert.Equal(JsonRpcMessageKind.Invalid, message.Kind);
        Assert.Equal("jsonrpc.bad_version", message.Error!.Rule.Code);
        Assert.Equal("3", message.Id!.Value.RawJson);
    }

    [Fact]
    public void Parse_MissingVersion_IsInvalid() => AssertInvalid("""{"id":1,"method":"ping"}""", "jsonrpc.bad_version");

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"ping","extra":1}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"ping","methods":"tools/call"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"ping","_meta":{}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"result":{},"method ":"x"}""")]
    public void Parse_UnknownTopLevelMember_IsInvalid(string json) => AssertInvalid(json, "jsonrpc.unknown_member");

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":7}""", "jsonrpc.bad_method")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":null}""", "jsonrpc.bad_method")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"ping","params":[1,2]}""", "jsonrpc.bad_params")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"ping","params":"x"}""", "jsonrpc.bad_params")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"ping","params":null}""", "jsonrpc.bad_params")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"ping","result":{}}""", "jsonrpc.bad_response")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"result":{},"error":{"code":1,"message":"m"}}""", "jsonrpc.bad_response")]
    [InlineData("""{"jsonrpc":"2.0","id":1}""", "jsonrpc.missing_method")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"params":{}}""", "jsonrpc.missing_method")]
    [InlineData("""{"jsonrpc":"2.0","result":{}}""", "jsonrpc.bad_id")]
    [InlineData("""{"jsonrpc":"2.0","id":null,"result":{}}""", "jsonrpc.bad_id")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"error":{"code":"x","message":"m"}}""", "jsonrpc.bad_error")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"error":{"code":1.5,"message":"m"}}""", "jsonrpc.bad_error")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"error":{"code":1}}""", "jsonrpc.bad_error")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"error":{"code":1,"message":"m","stack":"x"}}""", "jsonrpc.bad_error")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"error":"boom"}""", "jsonrpc.bad_error")]
    [InlineData("""[1]""", "jsonrpc.not_object")]
    public void Parse_MalformedMessage_IsInvalidWithRule(string json, string rule)
    {
        var result = Parse(json, allowBatch: true);

        Assert.Null(result.Error);
        var message = Assert.Single(result.Messages);
        Assert.Equal(JsonRpcMessageKind.Invalid, message.Kind);
        Assert.Equal(rule, message.Error!.Rule.Code);
        Assert.False(result.AllValid);
    }

    [Theory]
    [InlineData("42")]
    [InlineData("\"tools/call\"")]
    [InlineData("null")]
    public void Parse_TopLevelScalar_IsInvalidNotObject(string json) => AssertInvalid(json, "jsonrpc.not_object");

    [Fact]
    public void Parse_MethodIsNotTrimmedOrFolded()
    {
        Assert.Equal("tools/call ", Single("""{"jsonrpc":"2.0","id":1,"method":"tools/call "}""").Method);
        Assert.Equal("Tools/Call", Single("""{"jsonrpc":"2.0","id":1,"method":"Tools/Call"}""").Method);
        Assert.Equal("tools/\u200Bcall", Single("""{"jsonrpc":"2.0","id":1,"method":"tools/\u200Bcall"}""").Method);
    }

    [Fact]
    public void Parse_EscapedMethod_IsDecodedToTheValueEveryParserSees()
    {
        // The upstream decodes JSON escapes too, so deciding on the decoded name is deciding on what it will run.
        Assert.Equal("tools/call", Single("""{"jsonrpc":"2.0","id":1,"method":"tools\/c\u0061ll"}""").Method);
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"id":2,"method":"ping"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"ping","method":"tools/call"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"ping","\u006dethod":"tools/call"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"a","name":"b"}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"a","n\u0061me":"b"}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"a","arguments":{"x":{"y":[{"z":1,"z":2}]}}}}""")]
    public void Parse_DuplicateKeyAtAnyLevel_RefusesBody(string json) =>
        AssertBodyRefused(Parse(json), JsonRpcErrorCodes.InvalidRequest, "jsonrpc.duplicate_key");

    [Theory]
    [InlineData("""{"path":"/tmp/x","Path":"/etc/passwd"}""")]
    [InlineData("""{"path":"/tmp/x","PATH":"/etc/passwd"}""")]
    [InlineData("""{"key":"a","\u212Aey":"b"}""")]
    [InlineData("""{"ssh":"a","\u017Fsh":"b"}""")]
    [InlineData("""{"x":{"Åsa":1,"\u212Bsa":2}}""")]
    [InlineData("""{"ι":1,"\u0345":2}""")]
    [InlineData("""{"σ":1,"ς":2}""")]
    public void Parse_KeysDifferingOnlyInCase_RefusesBody(string arguments) =>
        AssertBodyRefused(Parse($$$"""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t","arguments":{{{arguments}}}}}"""),
            JsonRpcErrorCodes.InvalidRequest, "jsonrpc.duplicate_key_case");

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"ping","Method":"tools/call"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","Name":"rm"}}""")]
    public void Parse_ProtocolMembersDifferingOnlyInCase_RefusesBody(string json) =>
        AssertBodyRefused(Parse(json), JsonRpcErrorCodes.InvalidRequest, "jsonrpc.duplicate_key_case");

    [Fact]
    public void Parse_KeysDifferingOnlyInCase_AllowedWhenTheLimitSaysSo()
    {
        var limits = JsonRpcLimits.Default with { RefuseCaseFoldedDuplicates = false };

        Assert.True(Parse("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t","arguments":{"a":1,"A":2}}}""", limits: limits).AllValid);
    }

    [Theory]
    [InlineData("""{"path\u0000":"/etc/passwd"}""")]
    [InlineData("""{"pa\u001fth":"/etc/passwd"}""")]
    [InlineData("""{"path\u007f":"/etc/passwd"}""")]
    [InlineData("""{"a":{"b\nc":1}}""")]
    public void Parse_ControlCharacterInMemberName_RefusesBody(string arguments) =>
        AssertBodyRefused(Parse($$$"""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t","arguments":{{{arguments}}}}}"""),
            JsonRpcErrorCodes.InvalidRequest, "jsonrpc.control_in_name");

    [Fact]
    public void Parse_ControlCharactersInStringValues_AreAllowed() =>
        Assert.True(Parse("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t","arguments":{"text":"line 1\nline 2\u0000"}}}""").AllValid);

    [Fact]
    public void Parse_AfterARefusedBody_NoNamesLeakIntoTheNext()
    {
        AssertBodyRefused(Parse("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"a","arguments":{"k":1,"K":2}}}"""), JsonRpcErrorCodes.InvalidRequest, "jsonrpc.duplicate_key_case");
        AssertBodyRefused(Parse("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"a","arguments":{"k":1,"k":2}}}"""), JsonRpcErrorCodes.InvalidRequest, "jsonrpc.duplicate_key");

        Assert.True(Parse("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"a","arguments":{"k":1}}}""").AllValid);
        Assert.True(Parse("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"a","arguments":{"K":1}}}""").AllValid);
    }

    [Fact]
    public void Parse_SameKeyInSiblingObjects_IsAllowed()
    {
        var message = Single("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"a","arguments":{"l":[{"k":1},{"k":2}],"m":{"k":3}}}}""");

        Assert.Equal(JsonRpcMessageKind.Request, message.Kind);
    }

    [Fact]
    public void Parse_TenThousandDeepArguments_RefusedCleanlyWithoutStackOverflow()
    {
        const int depth = 10_000;
        var body = new StringBuilder("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"a","arguments":{"x":""");
        body.Append('[', depth).Append(']', depth).Append("}}}");

        AssertBodyRefused(Parse(body.ToString()), JsonRpcErrorCodes.InvalidRequest, "jsonrpc.depth");
    }

    [Fact]
    public void Parse_DepthAtLimit_IsAccepted_OneMoreIsRefused()
    {
        var limits = new JsonRpcLimits(MaxDepth: 6);
        // Body object (1) → params (2) → arguments (3) → a (4) → b (5) → c (6).
        const string atLimit = """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t","arguments":{"a":{"b":{"c":{}}}}}}""";
        const string over = """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t","arguments":{"a":{"b":{"c":{"d":[]}}}}}}""";

        Assert.True(Parse(atLimit, limits: limits).AllValid);
        AssertBodyRefused(Parse(over, limits: limits), JsonRpcErrorCodes.InvalidRequest, "jsonrpc.depth");
    }

    [Fact]
    public void Parse_FiveMegabyteBody_RefusedAsTooLarge()
    {
        var filler = new string('a', 5 * 1024 * 1024);
        var body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"t\",\"arguments\":{\"blob\":\"" + filler + "\"}}}";

        AssertBodyRefused(Parse(body), JsonRpcErrorCodes.InvalidRequest, "jsonrpc.too_large");
    }

    [Fact]
    public void Parse_BodyAtSizeLimit_IsAccepted()
    {
        const string body = """{"jsonrpc":"2.0","id":1,"method":"ping"}""";

        Assert.True(Parse(body, limits: new JsonRpcLimits(MaxBytes: Encoding.UTF8.GetByteCount(body))).AllValid);
        AssertBodyRefused(Parse(body, limits: new JsonRpcLimits(MaxBytes: Encoding.UTF8.GetByteCount(body) - 1)), JsonRpcErrorCodes.InvalidRequest, "jsonrpc.too_large");
    }

    [Fact]
    public void Parse_BatchWhenNotAllowed_RefusesBody()
    {
        var result = Parse("""[{"jsonrpc":"2.0","id":1,"method":"ping"}]""", allowBatch: false);

        AssertBodyRefused(result, JsonRpcErrorCodes.InvalidRequest, "jsonrpc.batch_not_allowed");
        Assert.True(result.IsBatch);
    }

    [Fact]
    public void Parse_EmptyBatch_RefusesBody() =>
        AssertBodyRefused(Parse("[ ]", allowBatch: true), JsonRpcErrorCodes.InvalidRequest, "jsonrpc.empty_batch");

    [Fact]
    public void Parse_BatchOverLimit_RefusesBody()
    {
        var limits = new JsonRpcLimits(MaxBatch: 3);
        string Batch(int n) => "[" + string.Join(",", Enumerable.Range(1, n).Select(i => $$"""{"jsonrpc":"2.0","id":{{i}},"method":"ping"}""")) + "]";

        Assert.True(Parse(Batch(3), allowBatch: true, limits: limits).AllValid);
        AssertBodyRefused(Parse(Batch(4), allowBatch: true, limits: limits), JsonRpcErrorCodes.InvalidRequest, "jsonrpc.batch_too_large");
    }

    [Theory]
    [InlineData("1", "1")]
    [InlineData("\"a\"", "\"a\"")]
    [InlineData("\"a\"", "\"\\u0061\"")]
    [InlineData("0", "-0")]
    public void Parse_BatchWithCollidingIds_RefusesBody(string first, string second)
    {
        var body = $$"""[{"jsonrpc":"2.0","id":{{first}},"method":"ping"},{"jsonrpc":"2.0","id":{{second}},"method":"tools/list"}]""";

        AssertBodyRefused(Parse(body, allowBatch: true), JsonRpcErrorCodes.InvalidRequest, "jsonrpc.duplicate_id");
    }

    [Fact]
    public void Parse_BatchWithNumberAndStringOfSameDigits_AreDifferentIds()
    {
        var result = Parse("""[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","id":"1","method":"ping"}]""", allowBatch: true);

        Assert.True(result.AllValid);
        Assert.Equal(2, result.Messages.Count);
    }

    [Fact]
    public void Parse_BatchRequestAndResponseSharingAnId_AreSeparateIdSpaces()
    {
        var result = Parse("""[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","id":1,"result":{}}]""", allowBatch: true);

        Assert.True(result.AllValid);
        Assert.Equal([JsonRpcMessageKind.Request, JsonRpcMessageKind.Response], result.Messages.Select(m => m.Kind));
    }

    [Fact]
    public void Parse_BatchWithOneInvalidMessage_ListsItAndKeepsTheRest()
    {
        var result = Parse("""[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"1.0","id":2,"method":"ping"},3]""", allowBatch: true);

        Assert.Null(result.Error);
        Assert.False(result.AllValid);
        Assert.Equal([JsonRpcMessageKind.Request, JsonRpcMessageKind.Invalid, JsonRpcMessageKind.Invalid], result.Messages.Select(m => m.Kind));
        Assert.Equal("2", result.Messages[1].Id!.Value.RawJson);
        Assert.Equal("3", Encoding.UTF8.GetString(result.Messages[2].Raw.Span));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{")]
    [InlineData("{\"jsonrpc\":\"2.0\",}")]
    [InlineData("{\"jsonrpc\":\"2.0\"} {}")]
    [InlineData("{\"jsonrpc\":'2.0'}")]
    [InlineData("{\"jsonrpc\":\"2.0\" /* c */}")]
    [InlineData("{\"id\":01}")]
    [InlineData("{\"id\":NaN}")]
    [InlineData("\uFEFF{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}")]
    public void Parse_NotJson_IsParseError(string body) =>
        AssertBodyRefused(Parse(body, allowBatch: true), JsonRpcErrorCodes.ParseError, "jsonrpc.parse");

    [Fact]
    public void Parse_InvalidUtf8_IsParseError()
    {
        var body = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"XX"}}""");
        var at = Array.IndexOf(body, (byte)'X');
        body[at] = 0xC0; // overlong encoding lead byte
        body[at + 1] = 0xAF;

        var result = JsonRpcParser.Parse(body, JsonRpcLimits.Default, allowBatch: false);

        AssertBodyRefused(result, JsonRpcErrorCodes.ParseError, "jsonrpc.invalid_utf8");
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"\ud800"}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"\udc00":"x"}}""")]
    public void Parse_EscapedLoneSurrogate_IsParseError(string body) =>
        AssertBodyRefused(Parse(body), JsonRpcErrorCodes.ParseError, "jsonrpc.invalid_utf8");

    [Fact]
    public void Parse_RawControlCharacterInString_IsParseError() =>
        AssertBodyRefused(Parse("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"pi\u0001ng\"}"), JsonRpcErrorCodes.ParseError, "jsonrpc.parse");

    [Fact]
    public void Parse_MessagesOutliveTheInputBuffer()
    {
        var body = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo"}}""");
        var result = JsonRpcParser.Parse(body, JsonRpcLimits.Default, allowBatch: false);
        var raw = Encoding.UTF8.GetString(body);

        Array.Fill(body, (byte)' ');

        var message = result.Messages[0];
        Assert.Equal("echo", message.Params!.Value.GetProperty("name").GetString());
        Assert.Equal(raw, Encoding.UTF8.GetString(message.Raw.Span));
    }

    [Fact]
    public void Parse_ParamsAreDetachedFromTheParser()
    {
        var message = Single("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"n":5}}}""");

        GC.Collect();
        GC.WaitForPendingFinalizers();

        Assert.Equal(5, message.Params!.Value.GetProperty("arguments").GetProperty("n").GetInt32());
        Assert.Equal(JsonValueKind.Object, message.Params.Value.ValueKind);
    }
}
