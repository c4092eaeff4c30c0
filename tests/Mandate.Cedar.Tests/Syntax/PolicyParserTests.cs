using Mandate.Cedar.Ast;
using Mandate.Cedar.Syntax;

namespace Mandate.Cedar.Tests.Syntax;

public sealed class PolicyParserTests
{
    private static Expr P(string text) => PolicyParser.ParseExpression(text).GetValueOrThrow();

    private static VarExpr V(Var v) => new(v);

    private static LongLiteral L(long v) => new(v);

    [Fact]
    public void ParseExpression_MixedOperators_FollowsCedarPrecedence()
    {
        var e = P("1 + 2 * 3 < 10 && !context.a || context.b == \"x\"");
        var expected = new OrExpr(
            new AndExpr(
                new BinaryExpr(BinaryOp.Less, new BinaryExpr(BinaryOp.Add, L(1), new BinaryExpr(BinaryOp.Multiply, L(2), L(3))), L(10)),
                new UnaryExpr(UnaryOp.Not, new GetAttrExpr(V(Var.Context), "a"))),
            new BinaryExpr(BinaryOp.Equal, new GetAttrExpr(V(Var.Context), "b"), new StringLiteral("x")));
        Assert.Equal(expected, e);
    }

    [Fact]
    public void ParseExpression_SubtractionChain_IsLeftAssociative()
    {
        Assert.Equal(new BinaryExpr(BinaryOp.Subtract, new BinaryExpr(BinaryOp.Subtract, L(5), L(2)), L(1)), P("5 - 2 - 1"));
    }

    [Fact]
    public void ParseExpression_MinimumLong_FoldsMinusIntoLiteral()
    {
        Assert.Equal(L(long.MinValue), P("-9223372036854775808"));
        Assert.Equal(new UnaryExpr(UnaryOp.Negate, L(-1)), P("--1"));
        Assert.Equal(new UnaryExpr(UnaryOp.Negate, L(1)), P("-(1)"));
        Assert.Equal(new BinaryExpr(BinaryOp.Subtract, L(1), L(-1)), P("1 - -1"));
    }

    [Fact]
    public void ParseExpression_NestedHas_DesugarsToConjunction()
    {
        var p = V(Var.Principal);
        var expected = new AndExpr(
            new AndExpr(new HasAttrExpr(p, "a"), new HasAttrExpr(new GetAttrExpr(p, "a"), "b")),
            new HasAttrExpr(new GetAttrExpr(new GetAttrExpr(p, "a"), "b"), "c"));
        Assert.Equal(expected, P("principal has a.b.c"));
        Assert.Equal(new HasAttrExpr(p, "two words"), P("principal has \"two words\""));
    }

    [Fact]
    public void ParseExpression_LikePattern_SeparatesWildcardsFromEscapedStars()
    {
        var e = Assert.IsType<LikeExpr>(P("resource.name like \"a*b\\\\*c\\*\""));
        Assert.Equal(
            new LikePattern(new[] { LikePatternPart.Literal("a"), LikePatternPart.Wildcard, LikePatternPart.Literal("b\\"), LikePatternPart.Wildcard,
                LikePatternPart.Literal("c*") }),
            e.Pattern);
    }

    [Fact]
    public void ParseExpression_IsAndIsIn_KeepsTypeAndOperand()
    {
        Assert.Equal(new IsExpr(V(Var.Principal), "NS::User"), P("principal is NS::User"));
        Assert.Equal(new IsExpr(V(Var.Principal), "User", new EntityLiteral(new EntityUid("Group", "g"))),
            P("principal is User in Group::\"g\""));
    }

    [Fact]
    public void ParseExpression_MethodsAndExtensions_MapToNodes()
    {
        var c = V(Var.Context);
        Assert.Equal(new BinaryExpr(BinaryOp.Contains, new GetAttrExpr(c, "s"), L(1)), P("context.s.contains(1)"));
        Assert.Equal(new UnaryExpr(UnaryOp.IsEmpty, new SetExpr(ValueList<Expr>.Empty)), P("[].isEmpty()"));
        Assert.Equal(new BinaryExpr(BinaryOp.HasTag, V(Var.Resource), new StringLiteral("t")), P("resource.hasTag(\"t\")"));
        Assert.Equal(
            new ExtensionCallExpr("isInRange", new Expr[] { new ExtensionCallExpr("ip", new Expr[] { new StringLiteral("10.0.0.1") }),
                new ExtensionCallExpr("ip", new Expr[] { new StringLiteral("10.0.0.0/8") }) }),
            P("ip(\"10.0.0.1\").isInRange(ip(\"10.0.0.0/8\"))"));
    }

    [Fact]
    public void ParseExpression_EntityWithNamespaceAndEscapes_Unescapes()
    {
        Assert.Equal(new EntityLiteral(new EntityUid("A::B::C", "x\"y\n\u00e9\U0001F600")),
            P("A::B::C::\"x\\\"y\\n\\u{e9}\\u{1F600}\""));
        Assert.Equal(new StringLiteral("\t\r\0'\\A"), P("\"\\t\\r\\0\\'\\\\\\x41\""));
    }

    [Fact]
    public void ParseExpression_RecordAndSet_KeepOrder()
    {
        var e = P("{a: 1, \"b c\": [true, false], principal: if true then 1 else 2}");
        var expected = new RecordExpr(new[]
        {
            new RecordEntry("a", L(1)),
            new RecordEntry("b c", new SetExpr(new Expr[] { new BoolLiteral(true), new BoolLiteral(false) })),
            new RecordEntry("principal", new IfExpr(new BoolLiteral(true), L(1), L(2))),
        });
        Assert.Equal(expected, e);
    }

    [Fact]
    public void ParseExpression_BracketAccess_ReadsAttribute()
    {
        Assert.Equal(new GetAttrExpr(new GetAttrExpr(V(Var.Context), "if"), "x"), P("context[\"if\"].x"));
    }

    [Fact]
    public void ParsePolicySet_TemplatesAndPolicies_NumberedTogetherInFileOrder()
    {
        const string text = """
            permit(principal, action, resource);
            @id("t") permit(principal == ?principal, action in [Action::"a", NS::Action::"b"], resource in ?resource);
            forbid(principal is User in Group::"g", action == Action::"x", resource is Doc) when { true } unless { false };
            """;
        var set = PolicyParser.ParsePolicySet(text).GetValueOrThrow();
        Assert.Equal(new[] { "policy0", "policy2" }, set.Policies.Select(p => p.Id));
        var template = Assert.Single(set.Templates);
        Assert.Equal("policy1", template.Id);
        Assert.True(template.IsTemplate);
        Assert.Equal(new ScopeConstraint(ScopeKind.Equal, new EntityRef.SlotRef(SlotId.Principal)), template.Principal);
        Assert.Equal(ActionScopeKind.InList, template.Action.Kind);
        Assert.Equal(new[] { new EntityUid("Action", "a"), new EntityUid("NS::Action", "b") }, template.Action.Entities);
        Assert.Equal("t", template.Annotation("id"));
        var last = set.Policies[1];
        Assert.Equal(new ScopeConstraint(ScopeKind.IsIn, new EntityRef.Literal(new EntityUid("Group", "g")), "User"), last.Principal);
        Assert.Equal(new ScopeConstraint(ScopeKind.Is, null, "Doc"), last.Resource);
        Assert.Equal(new[] { ConditionKind.When, ConditionKind.Unless }, last.Conditions.Select(c => c.Kind));
    }

    [Fact]
    public void ParsePolicySet_AnnotationOrPositional_UsesIdAnnotation()
    {
        var set = PolicyParser.ParsePolicySet(
            [("a.cedar", "@id(\"alpha\") permit(principal, action, resource);"), ("b.cedar", "forbid(principal, action, resource);")],
            PolicyIdMode.AnnotationOrPositional).GetValueOrThrow();
        Assert.Equal(new[] { "alpha", "policy1" }, set.Policies.Select(p => p.Id));
    }

    [Fact]
    public void ParsePolicySet_SeveralFiles_ContinuesPositionalIds()
    {
        var set = PolicyParser.ParsePolicySet(
            [("a.cedar", "permit(principal, action, resource); permit(principal, action, resource);"), ("b.cedar", "forbid(principal, action, resource);")])
            .GetValueOrThrow();
        Assert.Equal(new[] { "policy0", "policy1", "policy2" }, set.Policies.Select(p => p.Id));
    }

    [Fact]
    public void ParsePolicy_BareAnnotation_HasEmptyValue()
    {
        var p = PolicyParser.ParsePolicy("@step_up @reason(\"r\") permit(principal, action, resource);", "p").GetValueOrThrow();
        Assert.Equal(new[] { new Annotation("step_up", ""), new Annotation("reason", "r") }, p.Annotations);
        Assert.Equal("p", p.Id);
    }

    [Fact]
    public void ParsePolicy_CommentsAndWhitespace_AreIgnored()
    {
        var p = PolicyParser.ParsePolicy("// leading\npermit( // scope\n principal,action,resource // end\n)\n;// trailing", "p");
        Assert.True(p.IsSuccess);
    }

    [Fact]
    public void ParsePolicy_Spans_PointIntoSource()
    {
        const string text = "permit(principal, action, resource) when { context.a == 1 };";
        var p = PolicyParser.ParsePolicy(text, "p").GetValueOrThrow();
        Assert.Equal(0, p.Span.Start);
        Assert.Equal(text.Length, p.Span.End);
        var body = p.Conditions[0].Body;
        Assert.Equal("context.a == 1", text[body.Span.Start..body.Span.End]);
    }

    [Fact]
    public void ParsePolicy_TrailingCommas_AreAccepted()
    {
        var withCommas = PolicyParser.ParsePolicy(
            "permit(principal, action in [Action::\"a\",], resource,) when { [1, 2,].contains(ip(\"1.2.3.4\",)) && {a: 1,} == {a: 1} };", "p")
            .GetValueOrThrow();
        var without = PolicyParser.ParsePolicy(
            "permit(principal, action in [Action::\"a\"], resource) when { [1, 2].contains(ip(\"1.2.3.4\")) && {a: 1} == {a: 1} };", "p")
            .GetValueOrThrow();
        Assert.Equal(without, withCommas);
    }

    [Theory]
    [InlineData("[,]")]
    [InlineData("[1,,]")]
    [InlineData("{,}")]
    [InlineData("ip(,)")]
    public void ParseExpression_LoneOrDoubleComma_IsError(string text)
    {
        Assert.False(PolicyParser.ParseExpression(text).IsSuccess);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\t")]
    [InlineData("// only a comment\n// and another")]
    public void ParsePolicySet_NoPolicies_IsEmptySet(string text)
    {
        var set = PolicyParser.ParsePolicySet(text).GetValueOrThrow();
        Assert.Empty(set.Policies);
        Assert.Empty(set.Templates);
    }

    [Fact]
    public void ParseExpression_FoldedNegativeLiteral_SpanCoversMinus()
    {
        const string text = "1 + -  42";
        var add = Assert.IsType<BinaryExpr>(P(text));
        Assert.Equal("-  42", text[add.Right.Span.Start..add.Right.Span.End]);
    }
}
