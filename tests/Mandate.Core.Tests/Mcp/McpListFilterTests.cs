using System.Text;
using System.Text.Json;
using Mandate.Core.Mcp;

namespace Mandate.Core.Tests.Mcp;

/// <summary>List answers reduced to what the caller may use, everything else untouched.</summary>
public sealed class McpListFilterTests
{
    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    private static JsonElement Filter(string result, McpListKind kind, Func<string, JsonElement, bool> keep) =>
        Json(Encoding.UTF8.GetString(McpListFilter.Filter(Json(result), kind, keep)));

    [Fact]
    public void Filter_Tools_KeepsAcceptedItemsAndOtherMembers()
    {
        var seen = new List<string>();
        var filtered = Filter("""
            {"tools":[{"name":"read","inputSchema":{"type":"object"}},{"name":"delete","description":"x"},{"name":"list"}],
             "nextCursor":"c2","_meta":{"k":[1,2]}}
            """, McpListKind.Tools, (name, item) => { seen.Add(name); return name != "delete"; });

        Assert.Equal(["read", "delete", "list"], seen);
        Assert.Equal(["read", "list"], filtered.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.Equal("object", filtered.GetProperty("tools")[0].GetProperty("inputSchema").GetProperty("type").GetString());
        Assert.Equal("c2", filtered.GetProperty("nextCursor").GetString());
        Assert.Equal(2, filtered.GetProperty("_meta").GetProperty("k").GetArrayLength());
    }

    [Fact]
    public void Filter_ItemsWithoutAStringKeyOrNotObjects_AreDropped()
    {
        var filtered = Filter("""{"tools":[{"name":"ok"},{"title":"no name"},{"name":7},"str",null,{"name":"ok2"}]}""", McpListKind.Tools, (_, _) => true);

        Assert.Equal(["ok", "ok2"], filtered.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
    }

    [Theory]
    [InlineData(McpListKind.Resources, "resources", "uri", "file:///a")]
    [InlineData(McpListKind.ResourceTemplates, "resourceTemplates", "uriTemplate", "file:///{p}")]
    [InlineData(McpListKind.Prompts, "prompts", "name", "review")]
    public void Filter_OtherKinds_UseTheirArrayAndKey(McpListKind kind, string array, string key, string value)
    {
        var keys = new List<string>();
        var filtered = Filter($$"""{"{{array}}":[{"{{key}}":"{{value}}","other":"n"},{"{{key}}":"drop"}]}""", kind, (k, _) => { keys.Add(k); return k == value; });

        Assert.Equal([value, "drop"], keys);
        Assert.Equal(1, filtered.GetProperty(array).GetArrayLength());
    }

    [Fact]
    public void Filter_DenyAll_LeavesAnEmptyArray()
    {
        var filtered = Filter("""{"tools":[{"name":"a"}],"nextCursor":null}""", McpListKind.Tools, (_, _) => false);

        Assert.Equal(0, filtered.GetProperty("tools").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, filtered.GetProperty("nextCursor").ValueKind);
    }

    [Fact]
    public void Filter_ArrayMemberNotAnArray_BecomesEmpty_NotAResultBecomesEmptyObject()
    {
        Assert.Equal(0, Filter("""{"tools":{"name":"a"}}""", McpListKind.Tools, (_, _) => true).GetProperty("tools").GetArrayLength());
        Assert.Empty(Filter("""[{"name":"a"}]""", McpListKind.Tools, (_, _) => true).EnumerateObject());
    }

    [Fact]
    public void Filter_Output_IsAcceptedByTheStrictParserAsAResult()
    {
        var result = McpListFilter.Filter(Json("""{"tools":[{"name":"é\u0041"}],"nextCursor":"x"}"""), McpListKind.Tools, (_, _) => true);
        var response = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":1,"result":""" + Encoding.UTF8.GetString(result) + "}");

        var parsed = JsonRpcParser.Parse(response, JsonRpcLimits.Default, false);

        Assert.True(parsed.AllValid);
        Assert.Equal("éA", parsed.Messages[0].Result!.Value.GetProperty("tools")[0].GetProperty("name").GetString());
    }
}
