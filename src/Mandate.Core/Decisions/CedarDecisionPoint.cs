using Mandate.Cedar.Ast;
using Mandate.Cedar.Authorization;
using Mandate.Cedar.Entities;
using Mandate.Cedar.Extensions;
using Mandate.Cedar.Requests;
using Mandate.Cedar.Values;

namespace Mandate.Core.Decisions;

/// <summary>
/// Decides with a Cedar <see cref="Authorizer"/> over a fixed entity store. The request's resource
/// entity is added per request (its route's parents and attributes merged over what the store holds).
/// The context record is:
/// <c>{ request: {method, path, ip: ipaddr, host}, token: {scopes: Set&lt;String&gt;, method, seconds_left: Long},
/// delegation: {user, chain: Set&lt;String&gt;, depth: Long}, now: datetime }</c>, plus, when present,
/// <c>session</c> {id, intent, allowed_tools, resources, in_task, depth, parent, started, expires},
/// <c>claims</c> (selected token claims), <c>args</c> (read literally) and the front's extra members.
/// </summary>
public sealed class CedarDecisionPoint : IDecisionPoint
{
    private readonly Authorizer _authorizer;
    private readonly Lazy<PartialAuthorizer> _argsUnknown;
    private readonly Lazy<ScopeSearch> _search;
    private readonly EntityStore _entities;
    private readonly string _agentType;

    /// <summary>Creates the decision point.</summary>
    public CedarDecisionPoint(Authorizer authorizer, EntityStore entities, string agentType)
    {
        _authorizer = authorizer;
        _entities = entities;
        _agentType = agentType;
        _argsUnknown = new(() => new PartialAuthorizer(authorizer.PolicySet, ["args"]));
        _search = new(() => new ScopeSearch(authorizer.PolicySet));
        PolicyIds = authorizer.PolicySet.Policies.Select(p => p.Id).ToArray();
    }

    /// <inheritdoc />
    public IReadOnlyList<string> PolicyIds { get; }

    /// <summary>The policies (for checks that read them, such as tool argument types).</summary>
    public IReadOnlyList<Mandate.Cedar.Ast.Policy> Policies => _authorizer.PolicySet.Policies;

    /// <inheritdoc />
    public GatewayDecision Decide(DecisionRequest request)
    {
        var principal = Principal(request);
        var action = new EntityUid(request.Action.Type, request.Action.Id);
        var resource = new EntityUid(request.Resource.Entity.Type, request.Resource.Entity.Id);
        var context = Context(request.Context);
        var response = _authorizer.IsAuthorized(new Request(principal, action, resource, context), StoreFor(request, principal, resource));
        var citations = response.DeterminingPolicies.Select(p => new PolicyCitation(p.Id, p.Annotation("reason")) { StepUp = p.Annotation("step_up") }).ToArray();
        var errors = response.Errors.Select(e => e.ToString()).ToArray();
        return response.IsAllowed ? GatewayDecision.Allow(citations, errors) : GatewayDecision.Deny(citations, errors);
    }

    /// <inheritdoc />
    public bool CouldAllow(DecisionRequest request)
    {
        var principal = Principal(request);
        var action = new EntityUid(request.Action.Type, request.Action.Id);
        var resource = new EntityUid(request.Resource.Entity.Type, request.Resource.Entity.Id);
        var context = Context(request.Context with { Args = null });
        return _argsUnknown.Value.CouldAllow(new Request(principal, action, resource, context), StoreFor(request, principal, resource)).CouldAllow;
    }

    /// <inheritdoc />
    public IReadOnlyList<EntityRef> SearchCandidates(SearchQuery query)
    {
        static EntityUid Uid(EntityRef? e) => new(e!.Type, e.Id);
        var found = query.Target switch
        {
            SearchTarget.Subject => _search.Value.Principals(query.Type, Uid(query.Action), Uid(query.Resource), _entities),
            SearchTarget.Resource => _search.Value.Resources(query.Type, Uid(query.Principal), Uid(query.Action), _entities),
            _ => _search.Value.Actions(query.Type, Uid(query.Principal), Uid(query.Resource), _entities),
        };
        return found.Select(u => new EntityRef(u.Type, u.Id)).ToArray();
    }

    private EntityUid Principal(DecisionRequest request) => request.Principal is { } p
        ? new EntityUid(p.Entity.Type, p.Entity.Id)
        : new EntityUid(_agentType, request.Caller.AgentId);

    private EntityStore StoreFor(DecisionRequest request, EntityUid principal, EntityUid resource)
    {
        var resourceEntity = Overlay(resource, request.Resource);
        var principalEntity = request.Principal is { } p ? Overlay(principal, p) : null;
        if (principalEntity is null || principal.Equals(resource))
        {
            return resourceEntity is null ? _entities : _entities.With(resourceEntity);
        }

        // INVARIANT: the base store is never mutated; the request gets an overlay holding its entities (only they and
        // their descendants get new ancestor sets; the rest is shared).
        return resourceEntity is null ? _entities.With(principalEntity) : _entities.With([principalEntity, resourceEntity]);
    }

    // The entity with the request's parents and attributes merged over what the store holds; null when it adds nothing.
    private Entity? Overlay(EntityUid uid, ResourceDescriptor descriptor)
    {
        if (descriptor.Parents.Count == 0 && descriptor.Attributes.Count == 0)
        {
            return null;
        }

        var attributes = CedarJsonValues.ToRecord(descriptor.Attributes, out var error)
            ?? throw new InvalidOperationException($"attributes of `{uid}` have no cedar form: {error}");
        var parents = descriptor.Parents.Select(p => new EntityUid(p.Type, p.Id));
        if (!_entities.TryGet(uid, out var existing))
        {
            return new Entity(uid, attributes, parents);
        }

        var fields = descriptor.StoredAttributesWin
            ? attributes.Fields.Concat(existing.Attributes.Fields)
            : existing.Attributes.Fields.Concat(attributes.Fields);
        var merged = fields.GroupBy(f => f.Key).Select(g => g.Last());
        return new Entity(uid, Value.Record(merged), existing.Parents.Concat(parents), existing.Tags);
    }

    private static RecordValue Context(DecisionContext c)
    {
        var ip = IpAddrValue.Parse(c.Request.Ip, out var error)
            ?? throw new InvalidOperationException($"client address `{c.Request.Ip}` is not an ip: {error}");
        var request = Value.Record([
            new("method", Value.String(c.Request.Method)),
            new("path", Value.String(c.Request.Path)),
            new("ip", ip),
            new("host", Value.String(c.Request.Host)),
        ]);
        var token = Value.Record([
            new("scopes", Value.Set(c.Token.Scopes.Select(s => (Value)Value.String(s)))),
            new("method", Value.String(c.Token.Method)),
            new("seconds_left", Value.Long(c.Token.SecondsLeft)),
        ]);
        var delegation = Value.Record([
            new("user", Value.String(c.Delegation.User)),
            new("chain", Value.Set(c.Delegation.Chain.Select(s => (Value)Value.String(s)))),
            new("depth", Value.Long(c.Delegation.Depth)),
        ]);
        var fields = new List<KeyValuePair<string, Value>>(9 + c.Extra.Count)
        {
            new("request", request),
            new("token", token),
            new("delegation", delegation),
            new("now", DatetimeValue.FromEpochMilliseconds(c.Now.ToUnixTimeMilliseconds())),
            new("call", Call(c.Call)),
            new("rate", Value.Record([new("agent_calls_last_minute", Value.Long(c.AgentCallsLastMinute))])),
            new("approval", Approval(c.Approval)),
        };
        if (c.Session is { } s)
        {
            fields.Add(new("session", Session(s)));
        }

        if (c.Claims is { } claims)
        {
            fields.Add(new("claims", Claims(claims)));
        }

        if (c.Args is { } args)
        {
            fields.Add(new("args", CedarJsonValues.ToLiteralValue(args)));
        }

        foreach (var (name, json) in c.Extra)
        {
            if (fields.Exists(f => f.Key == name))
            {
                throw new InvalidOperationException($"context member `{name}` is set twice");
            }

            var value = CedarJsonValues.ToValue(json, out var extraError)
                ?? throw new InvalidOperationException($"context member `{name}` has no cedar form: {extraError}");
            fields.Add(new(name, value));
        }

        return Value.Record(fields);
    }

    private static RecordValue Claims(IReadOnlyDictionary<string, ClaimValue> claims) =>
        Value.Record(claims.Select(c => new KeyValuePair<string, Value>(c.Key, c.Value switch
        {
            ClaimValue.Text t => Value.String(t.Value),
            ClaimValue.Number n => Value.Long(n.Value),
            ClaimValue.Flag f => Value.Bool(f.Value),
            ClaimValue.TextSet s => Value.Set(s.Values.Select(v => (Value)Value.String(v))),
            _ => throw new InvalidOperationException($"claim `{c.Key}` has no cedar form"),
        })));

    private static readonly RecordValue ReadWithoutLabels = Value.Record([new("labels", Value.Set([])), new("write", Value.Bool(false))]);
    private static readonly RecordValue WriteWithoutLabels = Value.Record([new("labels", Value.Set([])), new("write", Value.Bool(true))]);
    private static readonly RecordValue NoApproval = ApprovalRecord(ApprovalFacts.None);

    private static RecordValue Call(CallFacts call) =>
        call.Labels.Count == 0
            ? call.Write ? WriteWithoutLabels : ReadWithoutLabels
            : Value.Record([new("labels", Value.Set(call.Labels.Select(l => (Value)Value.String(l)))), new("write", Value.Bool(call.Write))]);

    private static RecordValue Approval(ApprovalFacts approval) => ReferenceEquals(approval, ApprovalFacts.None) ? NoApproval : ApprovalRecord(approval);

    private static RecordValue ApprovalRecord(ApprovalFacts a) =>
        Value.Record([
            new("granted", Value.Bool(a.Granted)),
            new("by", Value.String(a.By)),
            new("id", Value.String(a.Id)),
            new("at", DatetimeValue.FromEpochMilliseconds(a.At.ToUnixTimeMilliseconds())),
        ]);

    private static RecordValue Session(SessionFacts s) =>
        Value.Record([
            new("id", Value.String(s.Id)),
            new("intent", Value.String(s.Intent)),
            new("allowed_tools", Value.Set(s.AllowedTools.Select(t => (Value)Value.String(t)))),
            new("resources", Value.Set(s.Resources.Select(r => (Value)Value.String(r)))),
            new("in_task", Value.Bool(s.InTask)),
            new("depth", Value.Long(s.Depth)),
            new("parent", Value.String(s.Parent)),
            new("started", DatetimeValue.FromEpochMilliseconds(s.Started.ToUnixTimeMilliseconds())),
            new("expires", DatetimeValue.FromEpochMilliseconds(s.Expires.ToUnixTimeMilliseconds())),
            new("tools_used", Value.Set(s.ToolsUsed.Select(t => (Value)Value.String(t)))),
            new("calls", Value.Long(s.Calls)),
            new("writes", Value.Long(s.Writes)),
            new("labels_seen", Value.Set(s.LabelsSeen.Select(l => (Value)Value.String(l)))),
        ]);
}
