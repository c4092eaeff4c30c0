using System.Text.Json;
using Mandate.Cedar.Ast;
using Mandate.Cedar.Json;
using Mandate.Cedar.Syntax;

namespace Mandate.Cedar.Tests.Syntax;

public sealed class PolicyJsonTests
{
    private static JsonElement Json(string s) => JsonDocument.Parse(s).RootElement;

    [Fact]
    public void ToJson_DocumentedExample_MatchesCedarShape()
    {
        var policy = PolicyParser.ParsePolicy(
            "permit(principal == User::\"12UA45\", action == Action::\"view\", resource in Folder::\"abc\") when { context.tls_version == \"1.3\" };",
            "p").GetValueOrThrow();
        const string expected = """
            {"effect":"permit",
             "principal":{"op":"==","entity":{"type":"User","id":"12UA45"}},
             "action":{"op":"==","entity":{"type":"Action","id":"view"}},
             "resource":{"op":"in","entity":{"type":"Folder","id":"abc"}},
             "conditions":[{"kind":"when","body":{"==":{"left":{".":{"left":{"Var":"context"},"attr":"tls_version"}},"right":{"Value":"1.3"}}}}]}
            """;
        Assert.True(JsonElement.DeepEquals(Json(expected), Json(PolicyJson.ToJson(policy))), PolicyJson.ToJson(policy));
    }

    [Theory]
    [InlineData("principal is User in ?principal", """{"op":"is","entity_type":"User","in":{"slot":"?principal"}}""")]
    [InlineData("principal is NS::User", """{"op":"is","entity_type":"NS::User"}""")]
    [InlineData("principal", """{"op":"All"}""")]
    public void ToJson_PrincipalScope_HasCedarShape(string scope, string expected)
    {
        var policy = PolicyParser.ParsePolicy($"permit({scope}, action, resource);", "p").GetValueOrThrow();
        using var doc = JsonDocument.Parse(PolicyJson.ToJson(policy));
        Assert.True(JsonElement.DeepEquals(Json(expected), doc.RootElement.GetProperty("principal")), doc.RootElement.GetRawText());
    }

    [Theory]
    [InlineData("context.s like \"a*\"", """{"like":{"left":{".":{"left":{"Var":"context"},"attr":"s"}},"pattern":[{"Literal":"a"},"Wildcard"]}}""")]
    [InlineData("-context.n", """{"neg":{"arg":{".":{"left":{"Var":"context"},"attr":"n"}}}}""")]
    [InlineData("-5", """{"Value":-5}""")]
    [InlineData("[].isEmpty()", """{"isEmpty":{"arg":{"Set":[]}}}""")]
    [InlineData("decimal(\"1.5\").lessThan(decimal(\"2.0\"))", """{"lessThan":[{"decimal":[{"Value":"1.5"}]},{"decimal":[{"Value":"2.0"}]}]}""")]
    [InlineData("User::\"a\"", """{"Value":{"__entity":{"type":"User","id":"a"}}}""")]
    [InlineData("if true then {a: 1} else principal is User in Group::\"g\"",
        """{"if-then-else":{"if":{"Value":true},"then":{"Record":{"a":{"Value":1}}},"else":{"is":{"left":{"Var":"principal"},"entity_type":"User","in":{"Value":{"__entity":{"type":"Group","id":"g"}}}}}}}""")]
    [InlineData("resource.hasTag(\"t\")", """{"hasTag":{"left":{"Var":"resource"},"right":{"Value":"t"}}}""")]
    public void ExprToJson_Expression_HasCedarShape(string expr, string expected)
    {
        var json = PolicyJson.ExprToJson(PolicyParser.ParseExpression(expr).GetValueOrThrow());
        Assert.True(JsonElement.DeepEquals(Json(expected), Json(json)), json);
    }

    [Fact]
    public void ExprFromJson_ValueWithSetsRecordsAndExtensions_BuildsLiterals()
    {
        var e = PolicyJson.ExprFromJson("""{"Value": [1, {"k": "v"}, {"__extn": {"fn": "ip", "arg": "1.2.3.4"}}]}""").GetValueOrThrow();
        var expected = new SetExpr(new Expr[]
        {
            new LongLiteral(1),
            new RecordExpr(new[] { new RecordEntry("k", new StringLiteral("v")) }),
            new ExtensionCallExpr("ip", new Expr[] { new StringLiteral("1.2.3.4") }),
        });
        Assert.Equal(expected, e);
    }

    [Fact]
    public void FromJson_BareAnnotationAsNull_IsEmptyString()
    {
        var p = PolicyJson.FromJson("""
            {"effect":"forbid","principal":{"op":"All"},"action":{"op":"All"},"resource":{"op":"All"},"conditions":[],
             "annotations":{"step_up":null,"reason":"r"}}
            """, "x").GetValueOrThrow();
        Assert.Equal(new[] { new Annotation("step_up", ""), new Annotation("reason", "r") }, p.Annotations);
        Assert.Equal("x", p.Id);
    }

    [Theory]
    [InlineData("""{"effect":"permit","effect":"forbid"}""", "invalid JSON")]
    [InlineData("""{"effect":"allow","principal":{"op":"All"},"action":{"op":"All"},"resource":{"op":"All"},"conditions":[]}""", "`permit` or `forbid`")]
    [InlineData("""{"effect":"permit","principal":{"op":"All"},"action":{"op":"All"},"conditions":[]}""", "missing field `resource`")]
    [InlineData("""{"effect":"permit","principal":{"op":"=="},"action":{"op":"All"},"resource":{"op":"All"},"conditions":[]}""", "exactly one of `entity` or `slot`")]
    [InlineData("""{"effect":"permit","principal":{"op":"All"},"action":{"op":"==","entity":{"type":"User","id":"a"}},"resource":{"op":"All"},"conditions":[]}""", "action entity")]
    [InlineData("""{"effect":"permit","principal":{"op":"All"},"action":{"op":"All"},"resource":{"op":"All"},"conditions":[{"kind":"when","body":{"Value":1.5}}]}""", "64-bit integer")]
    [InlineData("""{"effect":"permit","principal":{"op":"All"},"action":{"op":"All"},"resource":{"op":"All"},"conditions":[{"kind":"when","body":{"frobnicate":[]}}]}""", "unknown expression kind `frobnicate`")]
    [InlineData("""{"effect":"permit","principal":{"op":"All"},"action":{"op":"All"},"resource":{"op":"All"},"conditions":[{"kind":"when","body":{"Slot":"?principal"}}]}""", "slots are only allowed")]
    [InlineData("""{"effect":"permit","principal":{"op":"All"},"action":{"op":"All"},"resource":{"op":"All"},"conditions":[{"kind":"when","body":{"Var":"principal","Value":1}}]}""", "exactly one key")]
    [InlineData("""{"effect":"permit","principal":{"op":"All"},"action":{"op":"All"},"resource":{"op":"All"},"conditions":[],"annotations":{"a-b":"x"}}""", "not an identifier")]
    public void FromJson_BadPolicy_ReportsProblem(string json, string fragment)
    {
        var result = PolicyJson.FromJson(json);
        Assert.False(result.IsSuccess);
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(PolicyJson.InvalidPolicyJson, d.Code);
        Assert.Contains(fragment, d.Message);
    }

    [Fact]
    public void PolicySetJson_WithTemplatesAndLinks_RoundTrips()
    {
        var set = PolicyParser.ParsePolicySet("""
            permit(principal, action, resource) when { context.ok };
            permit(principal == ?principal, action == Action::"view", resource in ?resource);
            """).GetValueOrThrow();
        var linked = set.Link("policy1", "link0", new Dictionary<SlotId, EntityUid>
        {
            [SlotId.Principal] = new("User", "alice"),
            [SlotId.Resource] = new("Folder", "f"),
        }).GetValueOrThrow();
        var json = PolicyJson.PolicySetToJson(linked);
        var back = PolicyJson.PolicySetFromJson(json).GetValueOrThrow();
        Assert.Equal(linked.Policies.ToArray(), back.Policies.ToArray());
        Assert.Equal(linked.Templates.ToArray(), back.Templates.ToArray());
        using var doc = JsonDocument.Parse(json);
        var link = doc.RootElement.GetProperty("templateLinks")[0];
        Assert.Equal("policy1", link.GetProperty("templateId").GetString());
        Assert.Equal("alice", link.GetProperty("values").GetProperty("?principal").GetProperty("id").GetString());
    }

    [Fact]
    public void PolicySetFromJson_StaticPolicyWithSlot_IsError()
    {
        var result = PolicyJson.PolicySetFromJson("""
            {"staticPolicies":{"p":{"effect":"permit","principal":{"op":"==","slot":"?principal"},"action":{"op":"All"},"resource":{"op":"All"},"conditions":[]}},
             "templates":{},"templateLinks":[]}
            """);
        Assert.Contains("cannot contain template slots", Assert.Single(result.Diagnostics).Message);
    }
}
