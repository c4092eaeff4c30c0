using FsCheck.Xunit;
using Mandate.Cedar.Ast;
using Mandate.Cedar.Formatting;
using Mandate.Cedar.Json;
using Mandate.Cedar.Syntax;

namespace Mandate.Cedar.Tests.Syntax;

/// <summary>The laws of the printers: parse(print(p)) = p and FromJson(ToJson(p)) = p for generated trees.</summary>
public sealed class RoundTripProperties
{
    [Property(Arbitrary = [typeof(CedarArbitraries)], MaxTest = 500)]
    public bool Format_GeneratedPolicy_ParsesBackEqual(Policy policy)
    {
        var text = PolicyFormatter.Format(policy);
        var back = PolicyParser.ParsePolicy(text, policy.Id);
        return back.IsSuccess && back.Value == policy;
    }

    [Property(Arbitrary = [typeof(CedarArbitraries)], MaxTest = 500)]
    public bool Expression_GeneratedExpr_ParsesBackEqual(Expr expr)
    {
        var back = PolicyParser.ParseExpression(PolicyFormatter.Expression(expr));
        return back.IsSuccess && back.Value == expr;
    }

    [Property(Arbitrary = [typeof(CedarArbitraries)], MaxTest = 500)]
    public bool PolicyJson_GeneratedPolicy_ReadsBackEqual(Policy policy)
    {
        var back = PolicyJson.FromJson(PolicyJson.ToJson(policy), policy.Id);
        return back.IsSuccess && back.Value == policy;
    }

    [Property(MaxTest = 1000)]
    public bool ParsePolicySet_ArbitraryText_ReturnsValueOrDiagnosticsWithoutThrowing(string? text)
    {
        var result = PolicyParser.ParsePolicySet(text ?? "");
        return result.IsSuccess ? result.Diagnostics.IsEmpty : !result.Diagnostics.IsEmpty && result.Value is null;
    }

    [Property(MaxTest = 1000)]
    public bool ExprFromJson_ArbitraryText_ReturnsValueOrDiagnosticsWithoutThrowing(string? text)
    {
        var result = PolicyJson.ExprFromJson(text ?? "");
        return result.IsSuccess != !result.Diagnostics.IsEmpty;
    }
}
