using System.Text.Json;
using Mandate.Cedar.Ast;
using Mandate.Cedar.Requests;
using Mandate.Cedar.Schema;
using Mandate.Cedar.Values;

namespace Mandate.Cedar.Json;

/// <summary>
/// Reads a request: <c>{"principal": {type, id}, "action": {…}, "resource": {…}, "context": {…}}</c>
/// (uids may also use the <c>__entity</c> escape; extra fields such as a test's expected
/// <c>decision</c> are ignored). With a schema the request is validated: the action must be
/// declared, the principal and resource types must be in its <c>appliesTo</c>, and the context
/// is read against the action's context type.
/// </summary>
public static class RequestJson
{
    /// <summary>Reads a request from JSON text.</summary>
    public static CedarJsonResult<Request> Parse(string json, CedarSchema? schema = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        var errors = new List<CedarJsonError>();
        using var doc = CedarJsonDocument.Parse(json, errors);
        if (doc is null) return CedarJsonResult<Request>.Fail(errors);
        return Parse(doc.RootElement, schema);
    }

    /// <summary>Reads a request from a parsed JSON object.</summary>
    public static CedarJsonResult<Request> Parse(JsonElement json, CedarSchema? schema = null)
    {
        var errors = new List<CedarJsonError>();
        var reader = new ValueJsonReader(errors);
        if (json.ValueKind != JsonValueKind.Object)
        {
            reader.Error(CedarJsonErrorCodes.Shape, "a request must be a JSON object", "");
            return CedarJsonResult<Request>.Fail(errors);
        }
        var principal = Uid(json, "principal", reader);
        var action = Uid(json, "action", reader);
        var resource = Uid(json, "resource", reader);
        if (principal is null || action is null || resource is null) return CedarJsonResult<Request>.Fail(errors);

        RecordType? contextType = null;
        if (schema is not null)
        {
            var def = schema.FindAction(action);
            if (def is null)
            {
                reader.Error(CedarJsonErrorCodes.Request, $"action `{action}` is not declared in the schema", "action");
                return CedarJsonResult<Request>.Fail(errors);
            }
            if (!def.AppliesTo.PrincipalTypes.Contains(principal.Type))
            {
                reader.Error(CedarJsonErrorCodes.Request, $"principal type `{principal.Type}` is not valid for action `{action}`", "principal");
            }
            if (!def.AppliesTo.ResourceTypes.Contains(resource.Type))
            {
                reader.Error(CedarJsonErrorCodes.Request, $"resource type `{resource.Type}` is not valid for action `{action}`", "resource");
            }
            CheckEnum(schema, principal, reader, "principal");
            CheckEnum(schema, resource, reader, "resource");
            contextType = def.AppliesTo.Context;
        }

        var context = RecordValue.Empty;
        if (json.TryGetProperty("context", out var contextJson) && contextJson.ValueKind != JsonValueKind.Null)
        {
            var c = ParseContext(contextJson, contextType, reader);
            if (c is not null) context = c;
        }
        else if (contextType is not null && contextType.Attributes.Any(a => a.Required))
        {
            reader.Error(CedarJsonErrorCodes.Schema, "the context is missing required attributes", "context");
        }
        return errors.Count > 0
            ? CedarJsonResult<Request>.Fail(errors)
            : CedarJsonResult<Request>.Ok(new Request(principal, action, resource, context));
    }

    /// <summary>Reads a context record, against <paramref name="type"/> when given.</summary>
    public static CedarJsonResult<RecordValue> ParseContext(JsonElement json, RecordType? type = null)
    {
        var errors = new List<CedarJsonError>();
        var v = ParseContext(json, type, new ValueJsonReader(errors));
        return CedarJsonResult<RecordValue>.From(v, errors);
    }

    private static RecordValue? ParseContext(JsonElement json, RecordType? type, ValueJsonReader reader)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            reader.Error(CedarJsonErrorCodes.Shape, "the context must be a JSON object", "context");
            return null;
        }
        return type is null
            ? reader.Read(json, null, "context") as RecordValue
            : reader.ReadRecord(json, type, "context");
    }

    private static void CheckEnum(CedarSchema schema, EntityUid uid, ValueJsonReader reader, string path)
    {
        if (schema.FindEntityType(uid.Type) is { EnumValues: { } allowed } && !allowed.Contains(uid.Id))
        {
            reader.Error(CedarJsonErrorCodes.Request, $"`{uid}` is not one of the values of enumerated entity type `{uid.Type}`", path);
        }
    }

    private static EntityUid? Uid(JsonElement json, string name, ValueJsonReader reader)
    {
        if (!json.TryGetProperty(name, out var v))
        {
            reader.Error(CedarJsonErrorCodes.Shape, $"the request needs a `{name}`", name);
            return null;
        }
        return EntityJson.ReadUidOrEscape(v, reader, name);
    }
}
