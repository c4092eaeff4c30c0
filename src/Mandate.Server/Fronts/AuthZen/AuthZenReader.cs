using System.Text.Json;

namespace Mandate.Server.Fronts.AuthZen;

/// <summary>
/// Reads the members of AuthZEN request bodies (§5–§8), checking types as it goes: <c>type</c>, <c>id</c> and
/// <c>name</c> are strings, <c>properties</c>, <c>context</c>, <c>options</c> and <c>page</c> are objects. Unknown
/// members are ignored, as the HTTPS binding requires. A failure is a message for the caller, never an exception.
/// </summary>
public static class AuthZenReader
{
    /// <summary>Reads <c>subject</c>, <c>action</c>, <c>resource</c> and <c>context</c> of <paramref name="root"/>, each optional here.</summary>
    public static AuthZenTuple? Tuple(JsonElement root, string where, out string? error)
    {
        error = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = $"{where} is not an object";
            return null;
        }

        var subject = Entity(root, "subject", where, ref error);
        var action = Action(root, where, ref error);
        var resource = Entity(root, "resource", where, ref error);
        var context = Object(root, "context", where, ref error);
        return error is null ? new AuthZenTuple(subject, action, resource, context) : null;
    }

    /// <summary>The <c>options.evaluations_semantic</c> of a batch: <c>execute_all</c> (the default), <c>deny_on_first_deny</c> or <c>permit_on_first_permit</c>.</summary>
    public static EvaluationsSemantic? Semantic(JsonElement root, out string? error)
    {
        error = null;
        var options = Object(root, "options", "the request", ref error);
        if (error is not null)
        {
            return null;
        }

        if (options is not { } o || !o.TryGetProperty("evaluations_semantic", out var value))
        {
            return EvaluationsSemantic.ExecuteAll;
        }

        EvaluationsSemantic? semantic = value.ValueKind != JsonValueKind.String ? null : value.GetString() switch
        {
            "execute_all" => EvaluationsSemantic.ExecuteAll,
            "deny_on_first_deny" => EvaluationsSemantic.DenyOnFirstDeny,
            "permit_on_first_permit" => EvaluationsSemantic.PermitOnFirstPermit,
            _ => null,
        };
        if (semantic is null)
        {
            error = "`options.evaluations_semantic` is not one of execute_all, deny_on_first_deny, permit_on_first_permit";
        }

        return semantic;
    }

    /// <summary>The search request's <c>page</c>.</summary>
    public static AuthZenPage? Page(JsonElement root, out string? error)
    {
        error = null;
        var page = Object(root, "page", "the request", ref error);
        if (error is not null)
        {
            return null;
        }

        if (page is not { } p)
        {
            return new AuthZenPage(null, null);
        }

        string? token = null;
        if (p.TryGetProperty("token", out var t))
        {
            if (t.ValueKind != JsonValueKind.String)
            {
                error = "`page.token` is not a string";
                return null;
            }

            token = t.GetString();
        }

        int? limit = null;
        if (p.TryGetProperty("limit", out var l))
        {
            if (l.ValueKind != JsonValueKind.Number || !l.TryGetInt32(out var n) || n < 0)
            {
                error = "`page.limit` is not a non-negative integer";
                return null;
            }

            limit = n;
        }

        return new AuthZenPage(token, limit);
    }

    private static AuthZenEntity? Entity(JsonElement root, string name, string where, ref string? error)
    {
        if (error is not null || !root.TryGetProperty(name, out var e))
        {
            return null;
        }

        if (e.ValueKind != JsonValueKind.Object)
        {
            error = $"`{name}` of {where} is not an object";
            return null;
        }

        if (!e.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString()!.Length == 0)
        {
            error = $"`{name}.type` of {where} is missing or not a non-empty string";
            return null;
        }

        string? id = null;
        if (e.TryGetProperty("id", out var idValue))
        {
            if (idValue.ValueKind != JsonValueKind.String)
            {
                error = $"`{name}.id` of {where} is not a string";
                return null;
            }

            id = idValue.GetString();
        }

        var properties = Object(e, "properties", $"`{name}` of {where}", ref error);
        return error is null ? new AuthZenEntity(type.GetString()!, id, properties) : null;
    }

    private static AuthZenAction? Action(JsonElement root, string where, ref string? error)
    {
        if (error is not null || !root.TryGetProperty("action", out var a))
        {
            return null;
        }

        if (a.ValueKind != JsonValueKind.Object || !a.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String || name.GetString()!.Length == 0)
        {
            error = $"`action` of {where} is not an object with a non-empty string `name`";
            return null;
        }

        var properties = Object(a, "properties", $"`action` of {where}", ref error);
        return error is null ? new AuthZenAction(name.GetString()!, properties) : null;
    }

    private static JsonElement? Object(JsonElement parent, string name, string where, ref string? error)
    {
        if (error is not null || !parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            error = $"`{name}` of {where} is not an object";
            return null;
        }

        return value;
    }
}

/// <summary>How a batch of evaluations is run (AuthZEN §7.1.2.1).</summary>
public enum EvaluationsSemantic
{
    /// <summary>Every evaluation, every answer.</summary>
    ExecuteAll,

    /// <summary>Stop after the first deny (or failure): like <c>&amp;&amp;</c>.</summary>
    DenyOnFirstDeny,

    /// <summary>Stop after the first permit: like <c>||</c>.</summary>
    PermitOnFirstPermit,
}
