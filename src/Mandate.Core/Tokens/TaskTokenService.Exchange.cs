using Mandate.Core.Errors;
namespace Mandate.Core.Tokens;

public sealed partial class TaskTokenService
{
    /// <summary>
    /// Narrows an exchange request; pure (no side effects, no ids). For a child: grant = requested ∩ parent (anything
    /// beyond the parent is refused, not dropped), expiry ≤ parent's, depth = parent's + 1 ≤ MaxDepth, the actor not
    /// already in the chain, the parent still valid. For a root: requested ∩ <see cref="ExchangeInput.Ceiling"/> when
    /// one is given, default audiences when none are asked for.
    /// </summary>
    /// <remarks>
    /// Lifetime: requested (or the default), cut to MaxLifetime, then for a child cut to the parent's expiry
    /// (<see cref="ExchangePlan.LifetimeClamped"/> tells). With <see cref="TaskTokenOptions.RefuseLifetimeBeyondParent"/>,
    /// an explicit request beyond the parent's expiry is refused instead. <c>exp</c> is rounded down to whole seconds.
    /// </remarks>
    public ExchangePlanResult Plan(ExchangeInput input, DateTimeOffset now)
    {
        now = ToMillis(now);
        if (string.IsNullOrWhiteSpace(input.Actor.AgentId))
        {
            return Invalid("the actor has no agent id");
        }
        if (string.IsNullOrWhiteSpace(input.ClientId))
        {
            return Invalid("the client id is missing");
        }
        if (input.RequestedLifetime is { } asked && asked <= TimeSpan.Zero)
        {
            return Invalid("the requested lifetime must be positive");
        }
        if (BadScope(input.Requested.Scopes) is { } bad)
        {
            return ExchangePlanResult.Failure(ErrorCatalogue.ExchangeScopeEscalation, "a requested scope is not a valid scope token (RFC 6749 §3.3)");
        }
        if (input.Requested.Tools.Any(string.IsNullOrEmpty) || input.Requested.Resources.Any(string.IsNullOrEmpty) || input.Requested.Audiences.Any(string.IsNullOrEmpty))
        {
            return Invalid("a requested tool, resource or audience is empty");
        }
        // Bounded so that every minted token stays well inside what Verify accepts (MaxTokenLength).
        if (GrantSize(input.Requested) > MaxGrantCharacters)
        {
            return Invalid($"the requested task is larger than {MaxGrantCharacters} characters");
        }
        return input.SubjectKind switch
        {
            ExchangeSubjectKind.ParentTaskToken => PlanChild(input, now),
            ExchangeSubjectKind.User when string.IsNullOrWhiteSpace(input.UserId) => Invalid("a user subject token without a user id"),
            ExchangeSubjectKind.None when input.UserId is not null => Invalid("a user id without a user subject token"),
            _ => PlanRoot(input, now),
        };
    }

    private ExchangePlanResult PlanRoot(ExchangeInput input, DateTimeOffset now)
    {
        var requested = input.Requested;
        TaskGrant grant;
        if (input.Ceiling is { } ceiling)
        {
            if (Escalation(ceiling, requested, "what this exchange may grant") is { } refused)
            {
                return refused;
            }
            grant = ceiling.Intersect(requested);
        }
        else
        {
            grant = requested with
            {
                Scopes = requested.Scopes.Distinct(StringComparer.Ordinal).ToArray(),
                Audiences = requested.Audiences.Distinct(StringComparer.Ordinal).ToArray(),
                Tools = requested.Tools.Distinct(StringComparer.Ordinal).ToArray(),
                Resources = requested.Resources.Distinct(StringComparer.Ordinal).ToArray(),
            };
        }
        if (grant.Audiences.Count == 0)
        {
            grant = grant with { Audiences = Options.EffectiveDefaultAudiences };
        }
        var (expires, clamped) = Lifetime(input.RequestedLifetime, now);
        return ExchangePlanResult.Success(new ExchangePlan
        {
            Actor = input.Actor,
            ClientId = input.ClientId,
            UserId = input.SubjectKind == ExchangeSubjectKind.User ? input.UserId : null,
            Chain = [input.Actor.AgentId],
            Depth = 0,
            Grant = grant,
            IssuedAt = now,
            ExpiresAt = expires,
            LifetimeClamped = clamped,
            Jkt = input.DpopJkt,
        });
    }

    private ExchangePlanResult PlanChild(ExchangeInput input, DateTimeOffset now)
    {
        if (input.Parent is not { } parent)
        {
            return Invalid("a parent task token subject without a verified parent");
        }
        if (input.UserId is not null && input.UserId != parent.UserId)
        {
            return Invalid("the user id differs from the parent token's user");
        }
        // The parent was verified by the caller, but time passed and a revocation may have landed since: look again.
        if (_registry.Find(parent.Jti) is not { } parentRecord || parentRecord.ExpiresAt <= now)
        {
            return ExchangePlanResult.Failure(ErrorCatalogue.ExchangeParentInvalid, "the parent task token is unknown or expired");
        }
        if ((_registry.RevokedBecause(parentRecord) ?? _registry.CheckAncestry(parentRecord, now, Options.MaxDepth)?.Description) is { } why)
        {
            return ExchangePlanResult.Failure(ErrorCatalogue.ExchangeParentInvalid, "the parent task token is no longer valid: " + why);
        }
        if (parentRecord.Chain.Contains(input.Actor.AgentId, StringComparer.Ordinal))
        {
            return ExchangePlanResult.Failure(ErrorCatalogue.ExchangeDelegationCycle,
                $"agent `{input.Actor.AgentId}` is already in the delegation chain");
        }
        var depth = parentRecord.Depth + 1;
        if (depth > Options.MaxDepth)
        {
            return ExchangePlanResult.Failure(ErrorCatalogue.DelegationDepthExceeded,
                $"delegation depth {depth} exceeds the limit of {Options.MaxDepth}");
        }
        if (Escalation(parentRecord.Grant, input.Requested, "the parent token") is { } refused)
        {
            return refused;
        }
        var grant = parentRecord.Grant.Intersect(input.Requested);
        var (expires, clamped) = Lifetime(input.RequestedLifetime, now);
        if (expires > parentRecord.ExpiresAt)
        {
            if (Options.RefuseLifetimeBeyondParent && input.RequestedLifetime is not null)
            {
                return ExchangePlanResult.Failure(ErrorCatalogue.ExchangeTtlExceedsParent,
                    $"the requested lifetime ends after the parent token's expiry ({parentRecord.ExpiresAt:O})");
            }
            expires = parentRecord.ExpiresAt;
            clamped = true;
        }
        if (expires <= now)
        {
            return ExchangePlanResult.Failure(ErrorCatalogue.ExchangeParentInvalid, "the parent task token expires within the second");
        }
        return ExchangePlanResult.Success(new ExchangePlan
        {
            Actor = input.Actor,
            ClientId = input.ClientId,
            UserId = parentRecord.UserId,
            ParentJti = parentRecord.Jti,
            ParentSessionId = parentRecord.SessionId,
            Chain = [.. parentRecord.Chain, input.Actor.AgentId],
            Depth = depth,
            Grant = grant,
            IssuedAt = now,
            ExpiresAt = expires,
            LifetimeClamped = clamped,
            Jkt = input.DpopJkt,
        });
    }

    /// <summary>Most characters of intent, scopes, audiences, tools and resources together in one request.</summary>
    public const int MaxGrantCharacters = 4096;

    private static int GrantSize(TaskGrant g) =>
        g.Intent.Length + g.Scopes.Sum(x => x.Length + 1) + g.Audiences.Sum(x => x.Length + 1) + g.Tools.Sum(x => x.Length + 1) + g.Resources.Sum(x => x.Length + 1);

    private (DateTimeOffset Expires, bool Clamped) Lifetime(TimeSpan? requested, DateTimeOffset now)
    {
        var lifetime = requested ?? Options.DefaultLifetime;
        var clamped = false;
        if (lifetime > Options.MaxLifetime)
        {
            lifetime = Options.MaxLifetime;
            clamped = true;
        }
        return (ToSeconds(now + lifetime), clamped);
    }

    private static ExchangePlanResult? Escalation(TaskGrant bound, TaskGrant requested, string what)
    {
        var excess = bound.Excess(requested);
        if (excess.Count == 0)
        {
            return null;
        }
        // Only audiences beyond the bound: RFC 8693 names that `invalid_target`; anything else is a scope problem.
        var code = excess.All(e => e.StartsWith("audience:", StringComparison.Ordinal)) ? ErrorCatalogue.ExchangeTargetEscalation : ErrorCatalogue.ExchangeScopeEscalation;
        return ExchangePlanResult.Failure(code,
            $"the request asks for more than {what} holds ({string.Join(", ", excess.Select(e => e[..e.IndexOf(':')]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))})");
    }

    // RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ).
    private static string? BadScope(IReadOnlyList<string> scopes) =>
        scopes.FirstOrDefault(s => s.Length == 0 || s.Any(c => c < 0x21 || c == 0x22 || c == 0x5C || c > 0x7E));

    private static ExchangePlanResult Invalid(string description) =>
        ExchangePlanResult.Failure(ErrorCatalogue.ExchangeInvalidRequest, description);
}
