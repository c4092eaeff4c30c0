using Mandate.Cedar.Ast;
using Mandate.Cedar.Formatting;
using Mandate.Cedar.Syntax;

namespace Mandate.Cedar.Tests.Syntax;

public sealed class PolicyFormatterTests
{
    private static string Fmt(string expr) => PolicyFormatter.Expression(PolicyParser.ParseExpression(expr).GetValueOrThrow());

    [Theory]
    [InlineData("((1 + 2)) * 3", "(1 + 2) * 3")]
    [InlineData("1 + (2 * 3)", "1 + 2 * 3")]
    [InlineData("1 - (2 - 3)", "1 - (2 - 3)")]
    [InlineData("(1 - 2) - 3", "1 - 2 - 3")]
    [InlineData("(context.a || context.b) && context.c", "(context.a || context.b) && context.c")]
    [InlineData("(principal.a && principal.b) || principal.c", "principal.a && principal.b || principal.c")]
    [InlineData("!(!principal.x)", "!(!principal.x)")]
    [InlineData("-(1)", "-(1)")]
    [InlineData("- 1", "-1")]
    [InlineData("(-1).foo", "(-1).foo")]
    [InlineData("(if true then 1 else 2) + 3", "(if true then 1 else 2) + 3")]
    [InlineData("if true then 1 else 2 + 3", "if true then 1 else 2 + 3")]
    [InlineData("(1 == 2) == false", "(1 == 2) == false")]
    [InlineData("(principal has a) == true", "(principal has a) == true")]
    [InlineData("context[\"two words\"][\"if\"].ok", "context[\"two words\"][\"if\"].ok")]
    [InlineData("{a: 1, \"b\": [1, 2]}", "{\"a\": 1, \"b\": [1, 2]}")]
    [InlineData("resource.name like \"a*\\*b\"", "resource.name like \"a*\\*b\"")]
    [InlineData("ip(\"10.0.0.1\").isInRange(ip(\"10.0.0.0/8\"))", "ip(\"10.0.0.1\").isInRange(ip(\"10.0.0.0/8\"))")]
    [InlineData("(principal in Group::\"g\").isEmpty()", "(principal in Group::\"g\").isEmpty()")]
    [InlineData("principal is User in (Group::\"g\")", "principal is User in Group::\"g\"")]
    [InlineData("\"tab\\there \\u{1F600} \\u{7f}\"", "\"tab\\there 😀 \\u{7f}\"")]
    public void Expression_ParsedText_PrintsWithMinimalParentheses(string input, string expected)
    {
        Assert.Equal(expected, Fmt(input));
    }

    [Fact]
    public void Format_Policy_UsesCanonicalLayout()
    {
        const string text = """
            @id("p1") @advice
            forbid (principal in Group::"admins", action in [Action::"a", Action::"b"], resource is Doc in Folder::"f")
            when { context.x } unless { context.y };
            """;
        const string expected = """
            @id("p1")
            @advice("")
            forbid (
              principal in Group::"admins",
              action in [Action::"a", Action::"b"],
              resource is Doc in Folder::"f"
            )
            when { context.x }
            unless { context.y };
            """;
        var policy = PolicyParser.ParsePolicy(text, "p").GetValueOrThrow();
        Assert.Equal(expected.ReplaceLineEndings("\n"), PolicyFormatter.Format(policy));
    }

    [Fact]
    public void Format_UnconstrainedScope_StaysOnOneLine()
    {
        var policy = PolicyParser.ParsePolicy("permit(principal,action,resource);", "p").GetValueOrThrow();
        Assert.Equal("permit (principal, action, resource);", PolicyFormatter.Format(policy));
    }

    [Fact]
    public void Format_LongCondition_BreaksAtTopLevelConjunction()
    {
        var policy = PolicyParser.ParsePolicy(
            "permit(principal, action, resource) when { principal.department == \"engineering\" && resource.classification != \"secret\" && context.mfa };",
            "p").GetValueOrThrow();
        const string expected = """
            permit (principal, action, resource)
            when
            {
              principal.department == "engineering" &&
              resource.classification != "secret" &&
              context.mfa
            };
            """;
        Assert.Equal(expected.ReplaceLineEndings("\n"), PolicyFormatter.Format(policy));
        Assert.Equal(policy, PolicyParser.ParsePolicy(PolicyFormatter.Format(policy), "p").GetValueOrThrow());
    }

    [Fact]
    public void Format_PolicySet_KeepsSourceOrderOfPoliciesAndTemplates()
    {
        var set = PolicyParser.ParsePolicySet(
            "permit(principal, action, resource);\npermit(principal == ?principal, action, resource);\nforbid(principal, action, resource);")
            .GetValueOrThrow();
        Assert.Equal(
            "permit (principal, action, resource);\n\npermit (\n  principal == ?principal,\n  action,\n  resource\n);\n\nforbid (principal, action, resource);\n",
            PolicyFormatter.Format(set));
    }

    [Fact]
    public void FormatText_Comments_AreKeptAboveTheirPolicy()
    {
        const string text = "// first\npermit(principal, action, resource) // inside\n;\n// last\n";
        var result = PolicyFormatter.FormatText(text, "c.cedar");
        Assert.Equal("// first\n// inside\npermit (principal, action, resource);\n\n// last\n", result.GetValueOrThrow());
    }

    [Fact]
    public void FormatText_BadInput_ReturnsDiagnostics()
    {
        var result = PolicyFormatter.FormatText("permit(principal, action, resource) when { ! };", "c.cedar");
        Assert.False(result.IsSuccess);
        Assert.Equal("c.cedar", result.Diagnostics[0].File);
    }

    [Fact]
    public void Format_ConstructedTree_NegativeLiteralsAndNegation_RoundTrip()
    {
        Expr[] trees =
        [
            new UnaryExpr(UnaryOp.Negate, new LongLiteral(5)),
            new UnaryExpr(UnaryOp.Negate, new LongLiteral(-5)),
            new UnaryExpr(UnaryOp.Negate, new UnaryExpr(UnaryOp.Negate, new VarExpr(Var.Context))),
            new BinaryExpr(BinaryOp.Subtract, new LongLiteral(1), new LongLiteral(long.MinValue)),
            new BinaryExpr(BinaryOp.Multiply, new LongLiteral(-2), new UnaryExpr(UnaryOp.Negate, new LongLiteral(3))),
            new GetAttrExpr(new LongLiteral(-1), "x"),
            new BinaryExpr(BinaryOp.Contains, new LongLiteral(-1), new LongLiteral(-1)),
        ];
        foreach (var tree in trees)
        {
            var text = PolicyFormatter.Expression(tree);
            Assert.Equal(tree, PolicyParser.ParseExpression(text).GetValueOrThrow());
        }
    }
}
