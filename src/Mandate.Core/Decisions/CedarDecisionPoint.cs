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
    private readonly EntityStore _entities;
    private readonly string _agentType;

    /// <summary>Creates the decision point.</summary>
    public CedarDecisionPoint(Authorizer authorizer, EntityStore entities, string agentType)
    {
        _authorizer = authorizer;
        _entities = entities;
        _agentType = agentType;
        _argsUnknown = new(() => new PartialAuthorizer(authorizer.PolicySet, ["args"]));
        PolicyIds = authorizer.PolicySet.Policies.Select(p => p.Id).ToArray();
    }

    /// <inheritdoc />
    public IReadOnlyList<string> PolicyIds { get; }

    /// <inheritdoc />
    public GatewayDecision Decide(DecisionRequest request)
    {
        var principal = new EntityUid(_agentType, request.Caller.AgentId);
        var action = new EntityUid(request.Action.Type, request.Action.Id);
        var resource = new EntityUid(request.Resource.Entity.Type, request.Resource.Entity.Id);
        var context = Context(request.Context);
        var response = _authorizer.IsAuthorized(new Request(principal, action, resource, context), StoreFor(resource, request.Resource));
        var citations = response.DeterminingPolicies.Select(p => new PolicyCitation(p.Id, p.Annotation("reason")) { StepUp = p.Annotation("step_up") }).ToArray();
        var errors = response.Errors.Select(e => e.ToString()).ToArray();
        return response.IsAllowed ? GatewayDecision.Allow(citations, errors) : GatewayDecision.Deny(citations, errors);
    }

    /// <inheritdoc />
    public bool CouldAllow(DecisionRequest request)
    {
        var principal = new EntityUid(_agentType, request.Caller.AgentId);
        var action = new EntityUid(request.Action.Type, request.Action.Id);
        var resource = new EntityUid(request.Resource.Entity.Type, request.Resource.Entity.Id);
        var context = Context(request.Context with { Args = null });
        return _argsUnknown.Value.CouldAllow(new Request(principal, action, resource, context), StoreFor(resource, request.Resource)).CouldAllow;
    }

    private EntityStore StoreFor(EntityUid uid, ResourceDescriptor resource)
    {
        if (resource.Parents.Count == 0 && resource.Attributes.Count == 0)
        {
            return _entities;
        }

        var attributes = CedarJsonValues.ToRecord(resource.Attributes, out var error)
            ?? throw new InvalidOperationException($"resource attributes have no cedar form: {error}");
        var parents = resource.Parents.Select(p => new EntityUid(p.Type, p.Id));
        Entity entity;
        if (_entities.TryGet(uid, out var existing))
        {
            var merged = existing.Attributes.Fields.Concat(attributes.Fields).GroupBy(f => f.Key).Select(g => g.Last());
            entity = new Entity(uid, Value.Record(merged), existing.Parents.Concat(parents), existing.Tags);
        }
        else
        {
            entity = new Entity(uid, attributes, parents);
        }

        // INVARIANT: the base store is never mutated; the request gets an overlay holding its resource
        // (only the resource and its descendants get new ancestor sets; the rest is shared).
        return _entities.With(entity);
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
