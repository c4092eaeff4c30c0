using Mandate.Cedar.Ast;
using Mandate.Cedar.Entities;
using Mandate.Cedar.Evaluation;
using Mandate.Cedar.Requests;
using Mandate.Cedar.Syntax;
using Mandate.Cedar.Values;

namespace Mandate.Cedar.Tests.Evaluation;

public class EvaluatorTests
{
    private static readonly EntityStore Store = new(
    [
        new Entity(new EntityUid("User", "alice"),
            Value.Record([new("name", Value.String("Alice")), new("age", Value.Long(30)),
                new("address", Value.Record([new("city", Value.String("Paris"))]))]),
            [new EntityUid("Group", "admins")],
            Value.Record([new("team", Value.String("blue"))])),
        new Entity(new EntityUid("Group", "admins"), parents: [new EntityUid("Group", "staff")]),
        new Entity(new EntityUid("Group", "staff")),
        new Entity(new EntityUid("Action", "read"), parents: [new EntityUid("Action", "all")]),
    ]);

    private static readonly Request Req = new(
        new EntityUid("User", "alice"),
        new EntityUid("Action", "read"),
        new EntityUid("Doc", "d1"),
        Value.Record([new("ip", Value.String("10.0.0.1")), new("n", Value.Long(5)), new("flag", Value.True)]));

    private static EvaluationResult Eval(string text) =>
        Evaluator.Evaluate(PolicyParser.ParseExpression(text).GetValueOrThrow(), Req, Store);

    [Theory]
    [InlineData("1 + 2 * 3", "7")]
    [InlineData("-(5) - 3", "-8")]
    [InlineData("9223372036854775807", "9223372036854775807")]
    [InlineData("-9223372036854775808", "-9223372036854775808")]
    [InlineData("1 == 1", "true")]
    [InlineData("1 == \"1\"", "false")]
    [InlineData("User::\"alice\" == User::\"alice\"", "true")]
    [InlineData("[1, 2, 2] == [2, 1]", "true")]
    [InlineData("{a: 1, b: 2} == {b: 2, a: 1}", "true")]
    [InlineData("3 < 4 && 4 <= 4 && 5 > 4 && 5 >= 5", "true")]
    [InlineData("false && (1 + \"a\")", "false")]
    [InlineData("true || (1 + \"a\")", "true")]
    [InlineData("if context.flag then \"yes\" else 1 + \"a\"", "\"yes\"")]
    [InlineData("principal in Group::\"staff\"", "true")]
    [InlineData("principal in principal", "true")]
    [InlineData("principal in [Group::\"x\", Group::\"admins\"]", "true")]
    [InlineData("Group::\"staff\" in Group::\"admins\"", "false")]
    [InlineData("User::\"ghost\" in User::\"ghost\"", "true")]
    [InlineData("User::\"ghost\" in Group::\"staff\"", "false")]
    [InlineData("action in Action::\"all\"", "true")]
    [InlineData("principal has name", "true")]
    [InlineData("principal has address.city", "true")]
    [InlineData("principal has address.zip", "false")]
    [InlineData("User::\"ghost\" has name", "false")]
    [InlineData("principal.address.city", "\"Paris\"")]
    [InlineData("context.n", "5")]
    [InlineData("\"abc.txt\" like \"*.txt\"", "true")]
    [InlineData("\"a*c\" like \"a\\*c\"", "true")]
    [InlineData("\"abc\" like \"a\\*c\"", "false")]
    [InlineData("principal is User", "true")]
    [InlineData("principal is User in Group::\"staff\"", "true")]
    [InlineData("principal is Group in (1 + \"a\")", "false")]
    [InlineData("[1, 2, 3].contains(2)", "true")]
    [InlineData("[1, 2, 3].containsAll([1, 3])", "true")]
    [InlineData("[1, 2, 3].containsAny([7, 3])", "true")]
    [InlineData("[].isEmpty()", "true")]
    [InlineData("principal.getTag(\"team\")", "\"blue\"")]
    [InlineData("principal.hasTag(\"team\")", "true")]
    [InlineData("principal.hasTag(\"nope\")", "false")]
    [InlineData("User::\"ghost\".hasTag(\"team\")", "false")]
    [InlineData("!!!false", "true")]
    [InlineData("ip(\"10.0.0.1\").isInRange(ip(\"10.0.0.0/8\"))", "true")]
    [InlineData("ip(context.ip).isIpv4()", "true")]
    [InlineData("decimal(\"1.5\").lessThan(decimal(\"1.51\"))", "true")]
    [InlineData("datetime(\"2024-01-01\") < datetime(\"2024-01-02\")", "true")]
    [InlineData("duration(\"1h\") > duration(\"59m\")", "true")]
    [InlineData("datetime(\"2024-01-01T10:00:00Z\").offset(duration(\"1h\")) == datetime(\"2024-01-01T11:00:00Z\")", "true")]
    [InlineData("datetime(\"2024-01-02\").durationSince(datetime(\"2024-01-01\")).toHours()", "24")]
    [InlineData("{a: [1, {b: principal}]}.a.contains(1)", "true")]
    public void Evaluate_Expression_ProducesValue(string expression, string expected)
    {
        var result = Eval(expression);
        Assert.True(result.IsSuccess, result.Error);
        Assert.Equal(expected, result.Value!.ToString());
    }

    [Theory]
    [InlineData("1 + \"a\"", "type error")]
    [InlineData("1 && true", "type error")]
    [InlineData("true && 1", "type error")]
    [InlineData("false || 1", "type error")]
    [InlineData("if 1 then 2 else 3", "type error")]
    [InlineData("9223372036854775807 + 1", "overflow")]
    [InlineData("-9223372036854775808 - 1", "overflow")]
    [InlineData("4611686018427387904 * 2", "overflow")]
    [InlineData("-(-9223372036854775808)", "overflow")]
    [InlineData("1 < \"2\"", "type error")]
    [InlineData("decimal(\"1.0\") < decimal(\"2.0\")", "type error")]
    [InlineData("datetime(\"2024-01-01\") < duration(\"1d\")", "type error")]
    [InlineData("1 in Group::\"staff\"", "type error")]
    [InlineData("principal in [Group::\"staff\", 1]", "type error")]
    [InlineData("principal in 1", "type error")]
    [InlineData("principal.nope", "does not have the attribute `nope`")]
    [InlineData("User::\"ghost\".name", "does not exist")]
    [InlineData("context.missing", "does not have the attribute `missing`")]
    [InlineData("1 has a", "type error")]
    [InlineData("1 like \"*\"", "type error")]
    [InlineData("1 is User", "type error")]
    [InlineData("1.contains(1)", "type error")]
    [InlineData("[1].containsAll(1)", "type error")]
    [InlineData("principal.getTag(\"nope\")", "does not have the tag")]
    [InlineData("User::\"ghost\".getTag(\"team\")", "does not exist")]
    [InlineData("ip(\"01.2.3.4\")", "not a valid IP")]
    [InlineData("decimal(\"1.23456\")", "decimal")]
    [InlineData("ip(1)", "type error")]
    [InlineData("decimal(\"1.0\").lessThan(1)", "type error")]
    [InlineData("datetime(\"2024-01-01\").offset(duration(\"9223372036854775807ms\"))", "overflow")]
    public void Evaluate_BadExpression_ReportsError(string expression, string fragment)
    {
        var result = Eval(expression);
        Assert.False(result.IsSuccess, $"expected an error, got {result}");
        Assert.Contains(fragment, result.Error!, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_UnknownExtensionFunction_ReportsError()
    {
        var expr = new ExtensionCallExpr("frobnicate", new Expr[] { new LongLiteral(1) });
        var result = Evaluator.Evaluate(expr, Req, Store);
        Assert.Contains("not a known extension function", result.Error);
    }

    [Fact]
    public void Evaluate_WrongArity_ReportsError()
    {
        var expr = new ExtensionCallExpr("isInRange", new Expr[] { new StringLiteral("x") });
        var result = Evaluator.Evaluate(expr, Req, Store);
        Assert.Contains("wrong number of arguments", result.Error);
    }

    [Fact]
    public void Evaluate_InvalidLiteralBehindShortCircuit_IsNotReported()
    {
        // Constructors over literals are folded at compile time, but their errors stay lazy.
        var result = Eval("false && ip(\"bogus\").isIpv4()");
        Assert.True(result.IsSuccess);
        Assert.Equal(Value.False, result.Value);
    }
}
