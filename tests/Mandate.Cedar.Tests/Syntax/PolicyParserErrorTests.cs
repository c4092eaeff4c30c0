using Mandate.Cedar.Diagnostics;
using Mandate.Cedar.Syntax;

namespace Mandate.Cedar.Tests.Syntax;

public sealed class PolicyParserErrorTests
{
    public static TheoryData<string, string, int, int> BadPolicies => new()
    {
        // text, expected code, line, column
        { "permit(principal, action, resource) when { 1 = 2 };", DiagnosticCodes.InvalidCharacter, 1, 46 },
        { "permit(principal, action, resource) when { \"abc };", DiagnosticCodes.UnterminatedString, 1, 44 },
        { "permit(principal, action, resource) when { \"a\\qb\" };", DiagnosticCodes.InvalidEscape, 1, 46 },
        { "permit(principal, action, resource) when { \"\\u{110000}\" == \"\" };", DiagnosticCodes.InvalidEscape, 1, 45 },
        { "permit(principal, action, resource) when { \"\\x80\" == \"\" };", DiagnosticCodes.InvalidEscape, 1, 45 },
        { "permit(principal, action, resource) when { 9223372036854775808 == 1 };", DiagnosticCodes.IntegerOverflow, 1, 44 },
        { "permit(principal, action, resource) when { -9223372036854775809 == 1 };", DiagnosticCodes.IntegerOverflow, 1, 44 },
        { "permit(principal, action, resource) when { {a: 1, a: 2} == {} };", DiagnosticCodes.DuplicateKey, 1, 51 },
        { "@a(\"x\")\n@a(\"y\")\npermit(principal, action, resource);", DiagnosticCodes.DuplicateAnnotation, 2, 1 },
        { "permit(principal, action, resource) when { context.if };", DiagnosticCodes.ReservedIdentifier, 1, 52 },
        { "permit(principal, action, resource) when { principal has in };", DiagnosticCodes.ReservedIdentifier, 1, 58 },
        { "permit(principal == if::\"a\", action, resource);", DiagnosticCodes.ReservedIdentifier, 1, 21 },
        { "permit(principal, action, resource) when { user.name == \"a\" };", DiagnosticCodes.UnknownVariable, 1, 44 },
        { "permit(principal, action, resource) when { foo(1) };", DiagnosticCodes.UnknownFunction, 1, 44 },
        { "permit(principal, action, resource) when { context.foo(1) };", DiagnosticCodes.UnknownMethod, 1, 52 },
        { "permit(principal, action, resource) when { context.s.contains(1, 2) };", DiagnosticCodes.WrongArity, 1, 54 },
        { "permit(principal, action, resource) when { lessThan(1, 2) };", DiagnosticCodes.CallStyle, 1, 44 },
        { "permit(principal, action, resource) when { !!!!!true };", DiagnosticCodes.TooManyUnary, 1, 44 },
        { "permit(principal == ?resource, action, resource);", DiagnosticCodes.InvalidSlot, 1, 21 },
        { "permit(principal, action, resource) when { ?principal == principal };", DiagnosticCodes.InvalidSlot, 1, 44 },
        { "permit(principal, action, resource == ?foo);", DiagnosticCodes.InvalidSlot, 1, 39 },
        { "permit(principal in [User::\"a\"], action, resource);", DiagnosticCodes.InvalidScope, 1, 21 },
        { "permit(principal, action is Action, resource);", DiagnosticCodes.InvalidScope, 1, 26 },
        { "permit(principal, action == User::\"a\", resource);", DiagnosticCodes.InvalidActionType, 1, 29 },
        { "permit(principal, action, resource) when { };", DiagnosticCodes.InvalidCondition, 1, 42 },
        { "permit(principal, action, resource) where { true };", DiagnosticCodes.InvalidCondition, 1, 37 },
        { "permit(principal, action, resource) when { 1 == 2 == 3 };", DiagnosticCodes.UnexpectedToken, 1, 51 },
        { "permit(principal, action, resource) when { principal like 1 };", DiagnosticCodes.UnexpectedToken, 1, 59 },
        { "permit(principal, action, resource) when { principal is User::\"a\" };", DiagnosticCodes.InvalidOperand, 1, 57 },
        { "permit(principal, action, resource) when { context[1] };", DiagnosticCodes.InvalidOperand, 1, 52 },
        { "permit(action, principal, resource);", DiagnosticCodes.UnexpectedToken, 1, 8 },
        { "permit(principal, action, resource, context);", DiagnosticCodes.UnexpectedToken, 1, 35 },
        { "allow(principal, action, resource);", DiagnosticCodes.UnexpectedToken, 1, 1 },
        { "permit(principal, action, resource)", DiagnosticCodes.UnexpectedEnd, 1, 36 },
        { "permit(principal, action, resource) when { 1 % 2 };", DiagnosticCodes.InvalidCharacter, 1, 46 },
        { "permit(principal, action, resource) when { 1 / 2 };", DiagnosticCodes.InvalidCharacter, 1, 46 },
        { "permit(principal, action, resource) when { context.s == 'a' };", DiagnosticCodes.InvalidCharacter, 1, 57 },
    };

    [Theory]
    [MemberData(nameof(BadPolicies))]
    public void ParsePolicySet_BadInput_ReportsCodeAndLocation(string text, string code, int line, int column)
    {
        var result = PolicyParser.ParsePolicySet(text, "bad.cedar");
        Assert.False(result.IsSuccess);
        Assert.Null(result.Value);
        var d = result.Diagnostics[0];
        Assert.Equal((code, line, column), (d.Code, d.Line, d.Column));
        Assert.Equal("bad.cedar", d.File);
        Assert.Equal(d.Message.ToLowerInvariant()[..1], d.Message[..1]);
    }

    [Fact]
    public void ParsePolicySet_SeveralBadPolicies_ReportsEveryError()
    {
        const string text = """
            permit(principal, action, resource) when { 1 + };
            permit(principal, action, resource);
            forbid(principal, action, resource) when { "\q" };
            permit(principal, action, resource) when { {a: 1, a: 2} } unless { user };
            permit(principal, action, resource)
            permit(principal, action, resource) when { context.x };
            """;
        var result = PolicyParser.ParsePolicySet(text, "many.cedar");
        Assert.False(result.IsSuccess);
        var lines = result.Diagnostics.Select(d => (d.Line, d.Code)).ToArray();
        Assert.Equal(
            new[]
            {
                (1, DiagnosticCodes.UnexpectedToken),
                (3, DiagnosticCodes.InvalidEscape),
                (4, DiagnosticCodes.DuplicateKey),
                (4, DiagnosticCodes.UnknownVariable),
                (6, DiagnosticCodes.UnexpectedToken),
            },
            lines);
    }

    [Fact]
    public void ParsePolicySet_OneBadPolicyAmongGoodOnes_ProducesNoPolicySet()
    {
        var result = PolicyParser.ParsePolicySet("permit(principal, action, resource);\nforbid(principal, action, resource) when { ! };");
        Assert.False(result.IsSuccess);
        Assert.Null(result.Value);
        Assert.Single(result.Diagnostics);
    }

    [Fact]
    public void ParsePolicySet_DuplicateAnnotatedIds_IsError()
    {
        var result = PolicyParser.ParsePolicySet(
            [("a.cedar", "@id(\"x\") permit(principal, action, resource);"), ("b.cedar", "@id(\"x\") forbid(principal, action, resource);")],
            PolicyIdMode.AnnotationOrPositional);
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.DuplicatePolicyId, d.Code);
        Assert.Equal("b.cedar", d.File);
        Assert.Equal("duplicate policy id `x`", d.Message);
    }

    [Fact]
    public void ParsePolicy_TwoPolicies_IsError()
    {
        var result = PolicyParser.ParsePolicy("permit(principal, action, resource); permit(principal, action, resource);", "p");
        Assert.Equal(DiagnosticCodes.NotAPolicy, Assert.Single(result.Diagnostics).Code);
    }

    [Fact]
    public void ParseExpression_TrailingTokens_IsError()
    {
        var result = PolicyParser.ParseExpression("1 + 2 )");
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticCodes.UnexpectedToken, 1, 7), (d.Code, d.Line, d.Column));
        Assert.Equal("unexpected token `)`, expected end of expression", d.Message);
    }

    [Fact]
    public void CedarDiagnostic_ToString_IsCompilerStyle()
    {
        var d = PolicyParser.ParsePolicySet("permit(principal, action, resource)\nwhen { user };", "p.cedar").Diagnostics[0];
        Assert.Equal("p.cedar:2:8: error[unknown-variable]: unknown variable `user`; the variables are `principal`, `action`, `resource` and `context`",
            d.ToString());
    }
}
