using System.Text.Json;
using Mandate.Cedar.Ast;
using Mandate.Cedar.Entities;
using Mandate.Cedar.Schema;
using Mandate.Cedar.Values;

namespace Mandate.Cedar.Json;

/// <summary>
/// Reads Cedar's entity JSON: an array of <c>{"uid": {type, id}, "attrs": {…}, "parents": [uid…],
/// "tags": {…}}</c>. With a schema, values are read against the declared types (entity refs as
/// <c>{type, id}</c>, extension values as strings), entities must conform (declared type, known
/// attributes, allowed parent types, enum ids, tags), and the schema's action entities (with
/// their <c>memberOf</c> groups) are added.
/// </summary>
public static class EntityJson
{
    /// <summary>Reads entities and builds an <see cref="EntityStore"/>.</summary>
    public static CedarJsonResult<EntityStore> Parse(string json, CedarSchema? schema = null)
    {
        var list = ParseEntities(json, schema);
        if (!list.Success) return CedarJsonResult<EntityStore>.Fail(list.Errors);
        return CedarJsonResult<EntityStore>.Ok(new EntityStore(list.Value!));
    }

    /// <summary>Reads entities (including the schema's actions when a schema is given) without building a store.</summary>
    public static CedarJsonResult<IReadOnlyList<Entity>> ParseEntities(string json, CedarSchema? schema = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        var errors = new List<CedarJsonError>();
        using var doc = CedarJsonDocument.Parse(json, errors);
        if (doc is null) return CedarJsonResult<IReadOnlyList<Entity>>.Fail(errors);
        return ParseEntities(doc.RootElement, schema);
    }

    /// <summary>Reads entities from an already-parsed JSON array.</summary>
    public static CedarJsonResult<IReadOnlyList<Entity>> ParseEntities(JsonElement json, CedarSchema? schema = null)
    {
        var errors = new List<CedarJsonError>();
        var reader = new ValueJsonReader(errors);
        if (json.ValueKind != JsonValueKind.Array)
        {
            reader.Error(CedarJsonErrorCodes.Shape, "entities must be a JSON array", "");
            return CedarJsonResult<IReadOnlyList<Entity>>.Fail(errors);
        }
        var entities = new List<Entity>();
        var seen = new HashSet<EntityUid>();
        var i = 0;
        foreach (var item in json.EnumerateArray())
        {
            var path = $"[{i++}]";
            var entity = ReadEntity(item, schema, reader, path, out var fromSchema);
            if (entity is null || fromSchema) continue;
            if (!seen.Add(entity.Uid))
            {
                reader.Error(CedarJsonErrorCodes.DuplicateEntity, $"duplicate entity `{entity.Uid}`", path);
                continue;
            }
            entities.Add(entity);
        }
        if (schema is not null)
        {
            foreach (var action in schema.Actions.Values)
            {
                if (seen.Add(action.Uid)) entities.Add(new Entity(action.Uid, parents: action.MemberOf));
            }
        }
        return errors.Count > 0
            ? CedarJsonResult<IReadOnlyList<Entity>>.Fail(errors)
            : CedarJsonResult<IReadOnlyList<Entity>>.Ok(entities);
    }

    private static Entity? ReadEntity(JsonElement item, CedarSchema? schema, ValueJsonReader reader, string path, out bool fromSchema)
    {
        fromSchema = false;
        if (item.ValueKind != JsonValueKind.Object)
        {
            reader.Error(CedarJsonErrorCodes.Shape, "an entity must be a JSON object", path);
            return null;
        }
        foreach (var prop in item.EnumerateObject())
        {
            if (prop.Name is not ("uid" or "attrs" or "parents" or "tags"))
            {
                reader.Error(CedarJsonErrorCodes.Shape, $"unexpected field `{prop.Name}` in an entity", path);
                return null;
            }
        }
        if (!item.TryGetProperty("uid", out var uidJson))
        {
            reader.Error(CedarJsonErrorCodes.Shape, "an entity needs a `uid`", path);
            return null;
        }
        var uid = ReadUidOrEscape(uidJson, reader, ValueJsonReader.Join(path, "uid"));
        if (uid is null) return null;

        EntityTypeDefinition? def = null;
        if (schema is not null)
        {
            if (schema.IsActionEntityType(uid.Type))
            {
                if (schema.FindAction(uid) is null)
                {
                    reader.Error(CedarJsonErrorCodes.Schema, $"action `{uid}` is not declared in the schema", path);
                    return null;
                }
                // The schema is the source of truth for action entities and their groups.
                fromSchema = true;
                return null;
            }
            def = schema.FindEntityType(uid.Type);
            if (def is null)
            {
                reader.Error(CedarJsonErrorCodes.Schema, $"entity type `{uid.Type}` is not declared in the schema", path);
                return null;
            }
            if (def.EnumValues is { } allowed && !allowed.Contains(uid.Id))
            {
                reader.Error(CedarJsonErrorCodes.Schema, $"`{uid}` is not one of the values of enumerated entity type `{uid.Type}`", path);
                return null;
            }
        }

        var before = reader.Errors.Count;
        RecordValue attrs = RecordValue.Empty;
        if (item.TryGetProperty("attrs", out var attrsJson))
        {
            var p = ValueJsonReader.Join(path, "attrs");
            if (attrsJson.ValueKind != JsonValueKind.Object)
            {
                reader.Error(CedarJsonErrorCodes.Shape, "`attrs` must be a JSON object", p);
            }
            else if (def is not null)
            {
                attrs = reader.ReadRecord(attrsJson, def.Shape, p) ?? RecordValue.Empty;
            }
            else
            {
                attrs = reader.Read(attrsJson, null, p) as RecordValue ?? RecordValue.Empty;
            }
        }
        else if (def is not null && def.Shape.Attributes.Any(a => a.Required))
        {
            reader.Error(CedarJsonErrorCodes.Schema, $"`{uid}` is missing required attributes", path);
        }

        var parents = new List<EntityUid>();
        if (item.TryGetProperty("parents", out var parentsJson))
        {
            var p = ValueJsonReader.Join(path, "parents");
            if (parentsJson.ValueKind != JsonValueKind.Array)
            {
                reader.Error(CedarJsonErrorCodes.Shape, "`parents` must be a JSON array", p);
            }
            else
            {
                var j = 0;
                foreach (var parentJson in parentsJson.EnumerateArray())
                {
                    var pp = $"{p}[{j++}]";
                    var parent = ReadUidOrEscape(parentJson, reader, pp);
                    if (parent is null) continue;
                    if (def is not null && !def.MemberOfTypes.Contains(parent.Type))
                    {
                        reader.Error(CedarJsonErrorCodes.Schema,
                            $"`{uid}` cannot have a parent of type `{parent.Type}` according to the schema", pp);
                        continue;
                    }
                    parents.Add(parent);
                }
            }
        }

        RecordValue tags = RecordValue.Empty;
        if (item.TryGetProperty("tags", out var tagsJson))
        {
            var p = ValueJsonReader.Join(path, "tags");
            if (tagsJson.ValueKind != JsonValueKind.Object)
            {
                reader.Error(CedarJsonErrorCodes.Shape, "`tags` must be a JSON object", p);
            }
            else if (schema is not null && def?.Tags is null)
            {
                if (tagsJson.EnumerateObject().Any())
                {
                    reader.Error(CedarJsonErrorCodes.Schema, $"entity type `{uid.Type}` does not allow tags", p);
                }
            }
            else
            {
                var fields = new Dictionary<string, Value>(StringComparer.Ordinal);
                foreach (var tag in tagsJson.EnumerateObject())
                {
                    var v = reader.Read(tag.Value, def?.Tags, ValueJsonReader.Join(p, tag.Name));
                    if (v is not null) fields[tag.Name] = v;
                }
                tags = RecordValue.Adopt(fields);
            }
        }
        if (reader.Errors.Count > before) return null;
        return new Entity(uid, attrs, parents, tags);
    }

    /// <summary>
    /// Writes entities in Cedar's entity JSON (<c>uid</c>, <c>attrs</c>, <c>parents</c>, <c>tags</c>;
    /// values in canonical form), which <see cref="Parse"/> reads back.
    /// </summary>
    public static void Write(Utf8JsonWriter writer, IEnumerable<Entity> entities)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(entities);
        writer.WriteStartArray();
        foreach (var e in entities)
        {
            writer.WriteStartObject();
            writer.WritePropertyName("uid");
            WriteUid(writer, e.Uid);
            writer.WritePropertyName("attrs");
            ValueJson.Write(writer, e.Attributes);
            writer.WriteStartArray("parents");
            foreach (var p in e.Parents) WriteUid(writer, p);
            writer.WriteEndArray();
            if (e.Tags.Count > 0)
            {
                writer.WritePropertyName("tags");
                ValueJson.Write(writer, e.Tags);
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    /// <summary>The entity JSON text of <paramref name="entities"/>.</summary>
    public static string ToJson(IEnumerable<Entity> entities)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true })) Write(writer, entities);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteUid(Utf8JsonWriter writer, EntityUid uid)
    {
        writer.WriteStartObject();
        writer.WriteString("type", uid.Type);
        writer.WriteString("id", uid.Id);
        writer.WriteEndObject();
    }

    internal static EntityUid? ReadUidOrEscape(JsonElement json, ValueJsonReader reader, string path)
    {
        if (json.ValueKind == JsonValueKind.Object && json.TryGetProperty("__entity", out var inner))
        {
            return reader.ReadUid(inner, ValueJsonReader.Join(path, "__entity"));
        }
        return reader.ReadUid(json, path);
    }
}
