using System.Text.Json;
using Mandate.Cedar.Schema;
using Mandate.Cedar.Syntax;
using Mandate.Core.Mcp.ToolArguments;

namespace Mandate.Core.Tests.Mcp.ToolArguments;

/// <summary>Tool argument types from JSON Schema: the check before a decision, the Cedar text, and policies read against them.</summary>
public sealed class McpArgumentSchemaTests
{
    private const string Transfer = """
        {"type":"object","properties":{
          "amount":{"type":"integer"},
          "to":{"type":"string"},
          "currency":{"type":"string","enum":["EUR","USD"]},
          "urgent":{"type":"boolean"},
          "tags":{"type":"array","items":{"type":"string"}},
          "memo":{"type":"object","properties":{"text":{"type":"string"},"lines":{"type":"array","items":{"type":"integer"}}},"required":["text"],"additionalProperties":false},
          "ratio":{"type":"number"},
          "either":{"anyOf":[{"type":"string"},{"type":"integer"}]},
          "blob":{"type":"array"}
        },"required":["amount","to"]}
        """;

    private static McpArgumentSchema Schema() => McpArgumentSchema.Read(JsonDocument.Parse(Transfer).RootElement);

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    [Theory]
    [InlineData("""{"amount":"5000","to":"a"}""", "`args.amount` must be an integer, not a string")]
    [InlineData("""{"amount":1.5,"to":"a"}""", "`args.amount` must be an integer, not a number with a fraction")]
    [InlineData("""{"amount":1}""", "`args.to` is required")]
    [InlineData("""{"amount":1,"to":"a","currency":"GBP"}""", "`args.currency` must be one of `EUR`, `USD`")]
    [InlineData("""{"amount":1,"to":"a","urgent":"yes"}""", "`args.urgent` must be a boolean, not a string")]
    [InlineData("""{"amount":1,"to":"a","tags":["x",2]}""", "`args.tags[1]` must be a string, not an integer")]
    [InlineData("""{"amount":1,"to":"a","memo":{"text":"t","lines":[1,"2"]}}""", "`args.memo.lines[1]` must be an integer, not a string")]
    [InlineData("""{"amount":1,"to":"a","memo":{"lines":[]}}""", "`args.memo.text` is required")]
    [InlineData("""{"amount":1,"to":"a","memo":{"text":"t","extra":1}}""", "`args.memo.extra` is not an argument of this tool")]
    [InlineData("""{"amount":1,"to":"a","ratio":"0.5"}""", "`args.ratio` must be a number, not a string")]
    public void Check_WrongType_NamesThePath(string arguments, string expected) => Assert.Equal(expected, Schema().Check(Json(arguments)));

    [Theory]
    [InlineData("""{"amount":1,"to":"a"}""")]
    [InlineData("""{"amount":1,"to":"a","currency":"EUR","urgent":true,"tags":[],"memo":{"text":"t","lines":[1]},"ratio":0.5,"either":3,"blob":[1,"x"],"unknown":{}}""")]
    public void Check_RightTypes_Null(string arguments) => Assert.Null(Schema().Check(Json(arguments)));

    [Fact]
    public void Check_NoArguments_RequiredNamed() => Assert.Equal("`args.amount` is required", Schema().Check(null));

    [Fact]
    public void Unmapped_NamesEachPartAndWhy()
    {
        var unmapped = Schema().Unmapped;
        Assert.Equal(3, unmapped.Count);
        Assert.Contains(unmapped, u => u.StartsWith("args.ratio: `number`", StringComparison.Ordinal));
        Assert.Contains(unmapped, u => u.StartsWith("args.either: `anyOf`", StringComparison.Ordinal));
        Assert.Contains(unmapped, u => u.StartsWith("args.blob: an array without", StringComparison.Ordinal));
    }

    [Fact]
    public void Render_IsAValidCedarSchemaWithTheMappedTypes()
    {
        var text = McpToolCedarSchema.Render("bank", new Dictionary<string, McpArgumentSchema> { ["transfer"] = Schema(), ["odd name\n}"] = Schema() });
        Assert.Contains("""type Args_bank__transfer = {"amount": Long, "to": String, "currency"?: String, "urgent"?: Bool, "tags"?: Set<String>, "memo"?: {"text": String, "lines"?: Set<Long>}};""", text);
        Assert.Contains("//   not mapped: args.ratio", text);
        var parsed = SchemaParser.Parse(text);
        Assert.True(parsed.Success, string.Join("\n", parsed.Diagnostics));
        Assert.True(parsed.Schema!.CommonTypes.ContainsKey("Mandate::Args_bank__transfer"));
    }

    [Fact]
    public void PolicyCheck_UnknownArgumentAndWrongComparisons_Reported()
    {
        var policies = PolicyParser.ParsePolicySet("""
            @id("ok") forbid (principal, action, resource == Mandate::Tool::"bank/transfer") when { context.args.amount > 100 && context.args.currency == "EUR" };
            @id("typo") forbid (principal, action, resource == Mandate::Tool::"bank/transfer") when { context.args.amnt > 100 };
            @id("string-as-number") forbid (principal, action, resource == Mandate::Tool::"bank/transfer") when { context.args.to > 5 };
            @id("never-equal") permit (principal, action, resource == Mandate::Tool::"bank/transfer") when { context.args.amount == "100" };
            @id("not-in-enum") permit (principal, action, resource == Mandate::Tool::"bank/transfer") when { context.args.currency == "GBP" };
            @id("nested") permit (principal, action, resource == Mandate::Tool::"bank/transfer") when { context.args.memo.txt == "x" };
            @id("has-is-fine") permit (principal, action, resource == Mandate::Tool::"bank/transfer") when { context.args has anything };
            @id("other-tool") permit (principal, action, resource == Mandate::Tool::"bank/other") when { context.args.whatever > 1 };
            @id("server-wide") permit (principal, action, resource in Mandate::McpServer::"bank") when { context.args.whatever > 1 };
            """, "p.cedar", PolicyIdMode.AnnotationOrPositional).Value!;
        var problems = McpArgumentPolicyCheck.Check(policies.Policies, "bank", new Dictionary<string, McpArgumentSchema> { ["transfer"] = Schema() });
        Assert.Equal(["typo", "string-as-number", "never-equal", "not-in-enum", "nested"], problems.Select(p => p.PolicyId).ToArray());
        Assert.Contains("`amnt` is not an argument (the arguments: amount, to, currency, urgent, tags, memo, ratio, either, blob)", problems[0].Message);
        Assert.Contains("is a String, compared as a number", problems[1].Message);
    }
}
