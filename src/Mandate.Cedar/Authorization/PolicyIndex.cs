using Mandate.Cedar.Ast;

namespace Mandate.Cedar.Authorization;

/// <summary>
/// Buckets of compiled policies keyed by the entity their most selective scope names (see
/// <see cref="Authorizer"/>). INVARIANT: a bucket only narrows the candidates; every candidate's
/// full scope is still checked, so the index can never change a decision.
/// </summary>
internal sealed class PolicyIndex
{
    private readonly Dictionary<EntityUid, CompiledPolicy[]> _principalEq;
    private readonly Dictionary<EntityUid, CompiledPolicy[]> _resourceEq;
    private readonly Dictionary<EntityUid, CompiledPolicy[]> _actionEq;
    private readonly Dictionary<EntityUid, CompiledPolicy[]> _principalIn;
    private readonly Dictionary<EntityUid, CompiledPolicy[]> _resourceIn;
    private readonly Dictionary<EntityUid, CompiledPolicy[]> _actionIn;
    private readonly CompiledPolicy[] _wildcard;
    private readonly bool[] _multiBucket;

    public PolicyIndex(CompiledPolicy[] policies)
    {
        var pEq = new Dictionary<EntityUid, List<CompiledPolicy>>();
        var rEq = new Dictionary<EntityUid, List<CompiledPolicy>>();
        var aEq = new Dictionary<EntityUid, List<CompiledPolicy>>();
        var pIn = new Dictionary<EntityUid, List<CompiledPolicy>>();
        var rIn = new Dictionary<EntityUid, List<CompiledPolicy>>();
        var aIn = new Dictionary<EntityUid, List<CompiledPolicy>>();
        var wild = new List<CompiledPolicy>();
        _multiBucket = new bool[policies.Length];
        foreach (var p in policies)
        {
            if (p.PrincipalKind == ScopeKind.Equal && p.PrincipalUid is { } pu) Add(pEq, pu, p);
            else if (p.ResourceKind == ScopeKind.Equal && p.ResourceUid is { } ru) Add(rEq, ru, p);
            else if (p.ActionKind == ActionScopeKind.Equal) Add(aEq, p.Actions[0], p);
            else if (p.PrincipalKind is ScopeKind.In or ScopeKind.IsIn && p.PrincipalUid is { } pg) Add(pIn, pg, p);
            else if (p.ResourceKind is ScopeKind.In or ScopeKind.IsIn && p.ResourceUid is { } rg) Add(rIn, rg, p);
            else if (p.ActionKind is ActionScopeKind.In or ActionScopeKind.InList && p.Actions.Length > 0)
            {
                foreach (var a in p.Actions) Add(aIn, a, p);
                _multiBucket[p.Index] = p.Actions.Length > 1;
            }
            else wild.Add(p);
        }
        _principalEq = Freeze(pEq);
        _resourceEq = Freeze(rEq);
        _actionEq = Freeze(aEq);
        _principalIn = Freeze(pIn);
        _resourceIn = Freeze(rIn);
        _actionIn = Freeze(aIn);
        _wildcard = [.. wild];
    }

    public void Visit(in DecisionInput input, ref Authorizer.Outcome outcome)
    {
        var request = input.Request;
        Span<int> seen = stackalloc int[32];
        var seenCount = 0;
        HashSet<int>? seenOverflow = null;

        VisitEq(_principalEq, request.Principal, input, ref outcome);
        VisitEq(_resourceEq, request.Resource, input, ref outcome);
        VisitEq(_actionEq, request.Action, input, ref outcome);
        VisitIn(_principalIn, request.Principal, input.PrincipalAncestors, input, ref outcome, seen, ref seenCount, ref seenOverflow);
        VisitIn(_resourceIn, request.Resource, input.ResourceAncestors, input, ref outcome, seen, ref seenCount, ref seenOverflow);
        VisitIn(_actionIn, request.Action, input.ActionAncestors, input, ref outcome, seen, ref seenCount, ref seenOverflow);
        foreach (var p in _wildcard) outcome.Add(p, input);
    }

    private static void VisitEq(Dictionary<EntityUid, CompiledPolicy[]> map, EntityUid key, in DecisionInput input, ref Authorizer.Outcome outcome)
    {
        if (map.Count == 0 || !map.TryGetValue(key, out var bucket)) return;
        foreach (var p in bucket) outcome.Add(p, input);
    }

    private void VisitIn(Dictionary<EntityUid, CompiledPolicy[]> map, EntityUid key, HashSet<EntityUid>? ancestors, in DecisionInput input,
        ref Authorizer.Outcome outcome, Span<int> seen, ref int seenCount, ref HashSet<int>? seenOverflow)
    {
        if (map.Count == 0) return;
        // `in` includes the entity itself, then every ancestor (skipping the entity if a cycle lists it).
        VisitBucket(map, key, input, ref outcome, seen, ref seenCount, ref seenOverflow);
        if (ancestors is null) return;
        foreach (var ancestor in ancestors)
        {
            if (ancestor.Equals(key)) continue;
            VisitBucket(map, ancestor, input, ref outcome, seen, ref seenCount, ref seenOverflow);
        }
    }

    private void VisitBucket(Dictionary<EntityUid, CompiledPolicy[]> map, EntityUid key, in DecisionInput input,
        ref Authorizer.Outcome outcome, Span<int> seen, ref int seenCount, ref HashSet<int>? seenOverflow)
    {
        if (!map.TryGetValue(key, out var bucket)) return;
        foreach (var p in bucket)
        {
            if (_multiBucket[p.Index] && !FirstVisit(p.Index, seen, ref seenCount, ref seenOverflow)) continue;
            outcome.Add(p, input);
        }
    }

    private static bool FirstVisit(int index, Span<int> seen, ref int seenCount, ref HashSet<int>? overflow)
    {
        if (overflow is not null) return overflow.Add(index);
        for (var i = 0; i < seenCount; i++)
        {
            if (seen[i] == index) return false;
        }
        if (seenCount < seen.Length)
        {
            seen[seenCount++] = index;
            return true;
        }
        overflow = [.. seen.ToArray(), index];
        return true;
    }

    private static void Add(Dictionary<EntityUid, List<CompiledPolicy>> map, EntityUid key, CompiledPolicy p)
    {
        if (!map.TryGetValue(key, out var list)) map[key] = list = [];
        list.Add(p);
    }

    private static Dictionary<EntityUid, CompiledPolicy[]> Freeze(Dictionary<EntityUid, List<CompiledPolicy>> map) =>
        map.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
}
