using Mandate.Cedar.Ast;
using Mandate.Cedar.Entities;
using Mandate.Cedar.Requests;

namespace Mandate.Cedar.Authorization;

/// <summary>
/// Decides requests against one policy set. Construct it once per policy set (it compiles every
/// policy and indexes them by scope); <see cref="IsAuthorized"/> is then thread-safe and parses
/// or converts nothing.
/// </summary>
/// <remarks>
/// Semantics (Cedar): default deny; a satisfied forbid overrides any permit; a policy whose
/// evaluation fails is skipped and reported in <see cref="Response.Errors"/>. The determining
/// policies are the satisfied forbids when any exist, otherwise the satisfied permits.
/// Index: each policy sits in exactly one bucket, chosen by its most selective scope
/// (principal ==, resource ==, action ==, principal in, resource in, action in, else the
/// wildcard bucket), so a request looks only at the buckets its principal, resource, action and
/// their ancestors name. Policies with action lists of several entries sit in every matching
/// action bucket and are de-duplicated per request.
/// </remarks>
public sealed class Authorizer
{
    private readonly CompiledPolicy[] _all;
    private readonly PolicyIndex _index;

    /// <summary>Compiles and indexes <paramref name="policies"/> (its static and linked policies).</summary>
    public Authorizer(PolicySet policies)
    {
        ArgumentNullException.ThrowIfNull(policies);
        PolicySet = policies;
        _all = new CompiledPolicy[policies.Policies.Length];
        for (var i = 0; i < _all.Length; i++) _all[i] = new CompiledPolicy(policies.Policies[i], i);
        _index = new PolicyIndex(_all);
    }

    /// <summary>The policy set this authorizer decides with.</summary>
    public PolicySet PolicySet { get; }

    /// <summary>Decides <paramref name="request"/> with <paramref name="entities"/> as the entity data.</summary>
    public Response IsAuthorized(Request request, EntityStore entities)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(entities);
        var input = new DecisionInput(request, entities);
        var outcome = new Outcome();
        _index.Visit(input, ref outcome);
        return outcome.ToResponse();
    }

    /// <summary>Decides by evaluating every policy (no index); the reference the index is tested against.</summary>
    internal Response IsAuthorizedWithoutIndex(Request request, EntityStore entities)
    {
        var input = new DecisionInput(request, entities);
        var outcome = new Outcome();
        foreach (var p in _all) outcome.Add(p, input);
        return outcome.ToResponse();
    }

    /// <summary>How many policies the index hands to evaluation for <paramref name="request"/> (for tests of the index).</summary>
    internal int CountCandidates(Request request, EntityStore entities)
    {
        var outcome = new Outcome();
        _index.Visit(new DecisionInput(request, entities), ref outcome);
        return outcome.Evaluated;
    }

    /// <summary>Accumulates satisfied policies and errors during one decision.</summary>
    internal struct Outcome
    {
        private List<CompiledPolicy>? _permits;
        private List<CompiledPolicy>? _forbids;
        private List<(CompiledPolicy Policy, string Message)>? _errors;

        /// <summary>The number of policies evaluated so far.</summary>
        public int Evaluated { get; private set; }

        public void Add(CompiledPolicy policy, in DecisionInput input)
        {
            Evaluated++;
            // Once a forbid is satisfied, permits can no longer change the decision or the
            // reasons, but they are still evaluated so their errors are reported as Cedar does.
            var result = policy.Evaluate(input, out var error);
            if (result is null)
            {
                (_errors ??= []).Add((policy, error!));
            }
            else if (result.Value)
            {
                if (policy.IsForbid) (_forbids ??= []).Add(policy);
                else (_permits ??= []).Add(policy);
            }
        }

        public readonly Response ToResponse()
        {
            Decision decision;
            List<CompiledPolicy>? determining;
            if (_forbids is { Count: > 0 })
            {
                decision = Decision.Deny;
                determining = _forbids;
            }
            else if (_permits is { Count: > 0 })
            {
                decision = Decision.Allow;
                determining = _permits;
            }
            else
            {
                decision = Decision.Deny;
                determining = null;
            }
            Policy[]? policies = null;
            if (determining is not null)
            {
                determining.Sort(static (a, b) => a.Index.CompareTo(b.Index));
                policies = new Policy[determining.Count];
                for (var i = 0; i < policies.Length; i++) policies[i] = determining[i].Policy;
            }
            AuthorizationError[]? errors = null;
            if (_errors is not null)
            {
                _errors.Sort(static (a, b) => a.Policy.Index.CompareTo(b.Policy.Index));
                errors = new AuthorizationError[_errors.Count];
                for (var i = 0; i < errors.Length; i++) errors[i] = new AuthorizationError(_errors[i].Policy.Policy.Id, _errors[i].Message);
            }
            return new Response(decision, policies, errors);
        }
    }
}
