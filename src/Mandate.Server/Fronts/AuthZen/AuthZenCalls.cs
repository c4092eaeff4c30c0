using System.Text.Json;
using Mandate.Core.Decisions;
using Mandate.Core.Errors;
using Mandate.Server.Configuration;
using Mandate.Server.Flow;

namespace Mandate.Server.Fronts.AuthZen;

/// <summary>
/// Translates an AuthZEN tuple into the flow's call: <c>subject.type/id</c> → the principal entity (through
/// <c>decisionApis.authzen.types</c>), <c>action.name</c> → <c>Action::"name"</c> of the policies' namespace,
/// <c>resource.type/id</c> → the resource entity. Properties become attributes merged under what Mandate knows of the
/// entity (a stored attribute is never overridden by a caller's claim); <c>context</c> members become Cedar context
/// members and <c>action.properties</c> becomes <c>context.action</c>. Mandate's own context members cannot be set.
/// </summary>
public static class AuthZenCalls
{
    /// <summary>Context members Mandate sets itself; an AuthZEN <c>context</c> may not name them.</summary>
    public static readonly IReadOnlySet<string> Reserved = new HashSet<string>(StringComparer.Ordinal)
    {
        "request", "token", "delegation", "now", "session", "claims", "args", "action", "exchange", "approval", "risk", "call", "rate",
    };

    private static readonly IReadOnlyDictionary<string, JsonElement> NoAttributes = new Dictionary<string, JsonElement>();

    /// <summary>The call for a complete tuple, or the refusal (<c>authzen.bad_request</c>, <c>authzen.unknown_type</c>) and its message.</summary>
    public static FlowCall? Translate(AuthZenTuple t, MandateConfig config, out ErrorCode? code, out string? message)
    {
        code = null;
        message = null;
        if (t.Subject?.Id is null || t.Action is null || t.Resource?.Id is null)
        {
            code = ErrorCatalogue.AuthZenBadRequest;
            message = "an evaluation needs `subject` (type and id), `action` (name) and `resource` (type and id)";
            return null;
        }

        var subject = Entity(t.Subject, config, ref code, ref message);
        var resource = Entity(t.Resource, config, ref code, ref message);
        var extra = Context(t, ref code, ref message);
        if (code is not null)
        {
            return null;
        }

        return new FlowCall(ActionRef(t.Action.Name, config), resource!) { Principal = subject, Extra = extra };
    }

    /// <summary>The Cedar action for an AuthZEN action name.</summary>
    public static EntityRef ActionRef(string name, MandateConfig config) =>
        new(config.Policies.Namespace.Length == 0 ? "Action" : config.Policies.Namespace + "::Action", name);

    /// <summary>The Cedar entity type an AuthZEN type maps to, or null.</summary>
    public static string? CedarType(string type, MandateConfig config) =>
        config.DecisionApis.AuthZen is { } a && a.Types.TryGetValue(type, out var cedar) ? cedar : null;

    /// <summary>The entity for a subject or resource, with its properties as attributes (checked to have a Cedar form).</summary>
    public static ResourceDescriptor? Entity(AuthZenEntity e, MandateConfig config, ref ErrorCode? code, ref string? message)
    {
        if (CedarType(e.Type, config) is not { } type)
        {
            code ??= ErrorCatalogue.AuthZenUnknownType;
            message ??= $"type `{e.Type}` is not one Mandate maps (decisionApis.authzen.types)";
            return null;
        }

        var attributes = NoAttributes;
        if (e.Properties is { } properties)
        {
            var map = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var p in properties.EnumerateObject())
            {
                if (CedarJsonValues.ToValue(p.Value, out var error) is null)
                {
                    code ??= ErrorCatalogue.AuthZenBadRequest;
                    message ??= $"property `{p.Name}` of `{e.Type}` has no cedar value: {error}";
                    return null;
                }

                map[p.Name] = p.Value;
            }

            attributes = map;
        }

        return new ResourceDescriptor(new EntityRef(type, e.Id ?? ""), [], attributes) { StoredAttributesWin = true };
    }

    private static Dictionary<string, JsonElement>? Context(AuthZenTuple t, ref ErrorCode? code, ref string? message)
    {
        Dictionary<string, JsonElement>? extra = null;
        if (t.Context is { } context)
        {
            foreach (var p in context.EnumerateObject())
            {
                if (Reserved.Contains(p.Name))
                {
                    code ??= ErrorCatalogue.AuthZenBadRequest;
                    message ??= $"context member `{p.Name}` is one Mandate sets itself";
                    return null;
                }

                if (!Checked(p.Value, $"context member `{p.Name}`", ref code, ref message))
                {
                    return null;
                }

                (extra ??= new(StringComparer.Ordinal))[p.Name] = p.Value;
            }
        }

        if (t.Action?.Properties is { } properties)
        {
            if (!Checked(properties, "`action.properties`", ref code, ref message))
            {
                return null;
            }

            (extra ??= new(StringComparer.Ordinal))["action"] = properties;
        }

        return extra;
    }

    private static bool Checked(JsonElement value, string what, ref ErrorCode? code, ref string? message)
    {
        if (CedarJsonValues.ToValue(value, out var error) is not null)
        {
            return true;
        }

        code ??= ErrorCatalogue.AuthZenBadRequest;
        message ??= $"{what} has no cedar value: {error}";
        return false;
    }
}
