using System.Text;
using System.Text.Json;
using Mandate.Core.Mcp;

namespace Mandate.Core.Tests.Mcp;

/// <summary>The policy denial error an agent receives.</summary>
public sealed class McpDenialTests
{
    [Fact]
    public void Error_CarriesCodeMessageAndDecisionFacts()
    {
        var (error, data) = McpDenial.Error("0190-abc", ["no-deletes", "business-hours"], ["deletes need approval", "only 9-17"]);

        Assert.Equal(-32001, error.Code);
        Assert.Equal("Denied by policy", error.Message);
        Assert.Equal("policy.deny", error.Rule.Code);
        Assert.Equal("policy.deny", data.GetProperty("rule").GetString());
        Assert.Equal("0190-abc", data.GetProperty("decisionId").GetString());
        Assert.Equal(["no-deletes", "business-hours"], data.GetProperty("policies").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["deletes need approval", "only 9-17"], data.GetProperty("reasons").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void Response_IsAJsonRpcErrorForTheRequestId()
    {
        var id = JsonRpcParser.Parse("""{"jsonrpc":"2.0","id":"req-9","method":"tools/call","params":{"name":"rm"}}"""u8, JsonRpcLimits.Default, false).Messages[0].Id;

        var root = JsonDocument.Parse(McpDenial.Response(id, "d-1", [], [])).RootElement;

        Assert.Equal("2.0", root.GetProperty("jsonrpc").GetString());
        Assert.Equal("req-9", root.GetProperty("id").GetString());
        Assert.Equal(-32001, root.GetProperty("error").GetProperty("code").GetInt32());
        var data = root.GetProperty("error").GetProperty("data");
        Assert.Equal("policy.deny", data.GetProperty("rule").GetString());
        Assert.Equal(0, data.GetProperty("policies").GetArrayLength());
        // Exactly one `rule` member: the parser (strict, duplicates refused) accepts the response.
        Assert.True(JsonRpcParser.Parse(McpDenial.Response(id, "d-1", ["p"], ["r"]), JsonRpcLimits.Default, false).AllValid);
    }

    [Fact]
    public void Response_ReasonTextWithQuotesAndNonAscii_IsEscapedValidJson()
    {
        var bytes = McpDenial.Response(null, "d", ["p"], ["say \"no\" — ünïcode\n"]);

        var reason = JsonDocument.Parse(bytes).RootElement.GetProperty("error").GetProperty("data").GetProperty("reasons")[0].GetString();

        Assert.Equal("say \"no\" — ünïcode\n", reason);
        Assert.Contains("ünïcode", Encoding.UTF8.GetString(bytes));
    }
}
