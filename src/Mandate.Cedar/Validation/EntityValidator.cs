using Mandate.Cedar.Entities;
using Mandate.Cedar.Schema;

namespace Mandate.Cedar.Validation;

/// <summary>
/// Entity validation: every entity has a declared type (a valid id for enumerated types),
/// exactly the attributes of its type's shape with their types, parents only of the types its
/// type may be a member of, and tags only if its type declares them, of the tag type. Action
/// entities must be declared actions whose parents are the declared action groups.
/// </summary>
public static class EntityValidator
{
    /// <summary>Every problem with <paramref name="entities"/> (empty when all conform).</summary>
    public static IReadOnlyList<ConformanceError> Validate(CedarSchema schema, IEnumerable<Entity> entities)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(entities);
        var errors = new List<ConformanceError>();
        foreach (var e in entities) ValidateEntity(schema, e, errors);
        return errors;
    }

    private static void ValidateEntity(CedarSchema schema, Entity e, List<ConformanceError> errors)
    {
        void Add(string code, string message) => errors.Add(new ConformanceError(code, message, e.Uid));

        if (schema.IsActionEntityType(e.Uid.Type))
        {
            if (schema.FindAction(e.Uid) is not { } action)
            {
                Add(ConformanceCodes.InvalidActionEntity, $"action `{e.Uid}` is not declared in the schema");
                return;
            }
            if (!e.Parents.ToHashSet().SetEquals(action.MemberOf) || e.Attributes.Count > 0 || e.Tags.Count > 0)
            {
                Add(ConformanceCodes.InvalidActionEntity, $"definition of action `{e.Uid}` does not match its schema declaration");
            }
            return;
        }
        if (schema.FindEntityType(e.Uid.Type) is not { } def)
        {
            Add(ConformanceCodes.UndeclaredEntityType, $"entity type `{e.Uid.Type}` of `{e.Uid}` is not declared in the schema");
            return;
        }
        if (ValueConformance.EnumProblem(e.Uid, schema) is { } enumProblem) Add(ConformanceCodes.InvalidEnumEntity, enumProblem);
        if (ValueConformance.CheckRecord(e.Attributes, def.Shape, schema) is { } attrProblem)
        {
            Add(ConformanceCodes.InvalidAttribute, $"`{e.Uid}` does not conform to the shape of `{def.Name}`: {attrProblem}");
        }
        foreach (var parent in e.Parents)
        {
            if (!def.MemberOfTypes.Contains(parent.Type))
            {
                Add(ConformanceCodes.InvalidParent, $"`{e.Uid}` is not allowed to have a parent of type `{parent.Type}` according to the schema");
            }
        }
        if (e.Tags.Count == 0) return;
        if (def.Tags is null)
        {
            Add(ConformanceCodes.InvalidTag, $"`{e.Uid}` has tags, but entity type `{def.Name}` declares none");
            return;
        }
        foreach (var (key, value) in e.Tags.Fields)
        {
            if (ValueConformance.Check(value, def.Tags, schema) is { } tagProblem)
            {
                Add(ConformanceCodes.InvalidTag, $"tag `{key}` of `{e.Uid}`: {tagProblem}");
            }
        }
    }
}
