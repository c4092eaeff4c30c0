namespace Mandate.Server.Fronts.OAuth.Exchange;

/// <summary>
/// The token exchange's checks, in the order the RFCs give them: the request's encoding (RFC 6749 §3.2), its
/// parameters (RFC 8693 §2.1, RFC 8707, RFC 9396), the DPoP proof (RFC 9449 §5), the actor (RFC 8693 §2.1, RFC 8705),
/// the subject (RFC 8693 §2.1), the subject's binding (RFC 9449 §4.3), the targets (RFC 8707 §2), and Mandate's plan
/// (narrowing, depth, lifetime). A deployment adds a rule by adding a class to this list.
/// </summary>
public static class ExchangeChecks
{
    /// <summary>The checks, in order, for <paramref name="tokens"/>.</summary>
    public static IReadOnlyList<IExchangeCheck> For(TaskTokens.TokenServices tokens, Flow.Identify.CallerResolver resolver) =>
    [
        new FormCheck(),
        new ParametersCheck(),
        new DpopProofCheck(tokens),
        new ActorCheck(resolver),
        new SubjectCheck(tokens, resolver),
        new ParentBindingCheck(),
        new TargetCheck(tokens),
        new PlanCheck(tokens),
    ];
}
