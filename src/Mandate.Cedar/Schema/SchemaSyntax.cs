using Mandate.Cedar.Ast;

namespace Mandate.Cedar.Schema;

// The unresolved form both schema formats parse into: names are still as written, relative
// to their namespace. SchemaResolver turns a SchemaFragment into a CedarSchema. Keeping the
// two formats on one intermediate form is what makes "human == JSON" true by construction.

/// <summary>Where a declaration came from (1-based; 0 when unknown, e.g. JSON).</summary>
internal readonly record struct SchemaPos(int Line, int Column)
{
    public static readonly SchemaPos None = new(0, 0);
}

/// <summary>A parsed schema document: its namespaces in order.</summary>
internal sealed record SchemaFragment(IReadOnlyList<NamespaceDecl> Namespaces);

internal sealed record NamespaceDecl(
    string Name,
    List<EntityDecl> Entities,
    List<ActionDecl> Actions,
    List<CommonTypeDecl> CommonTypes,
    ValueList<Annotation> Annotations,
    SchemaPos Pos);

internal sealed record EntityDecl(
    string Name,
    List<string> MemberOfTypes,
    TypeExpr? Shape,
    TypeExpr? Tags,
    List<string>? EnumValues,
    ValueList<Annotation> Annotations,
    SchemaPos Pos);

/// <summary>An action reference; <see cref="Type"/> null means "Action" in the current namespace.</summary>
internal sealed record ActionRefDecl(string? Type, string Id, SchemaPos Pos);

internal sealed record ActionDecl(
    string Name,
    List<ActionRefDecl> MemberOf,
    AppliesToDecl? AppliesTo,
    ValueList<Annotation> Annotations,
    SchemaPos Pos);

internal sealed record AppliesToDecl(List<string> PrincipalTypes, List<string> ResourceTypes, TypeExpr? Context, SchemaPos Pos);

internal sealed record CommonTypeDecl(string Name, TypeExpr Type, ValueList<Annotation> Annotations, SchemaPos Pos);

/// <summary>How a written name may resolve.</summary>
internal enum NameKind
{
    /// <summary>Common type, then entity type, then built-in (human format names, JSON EntityOrCommon).</summary>
    EntityOrCommon,
    /// <summary>Entity type only (JSON <c>"type": "Entity"</c>).</summary>
    Entity,
    /// <summary>Common type only (JSON <c>"type": "X"</c> with a non-keyword X).</summary>
    Common,
    /// <summary>Extension type only (JSON <c>"type": "Extension"</c>).</summary>
    Extension,
}

internal abstract record TypeExpr(SchemaPos Pos);

internal sealed record NamedTypeExpr(string Name, NameKind Kind, SchemaPos Pos) : TypeExpr(Pos);

internal sealed record BuiltinTypeExpr(CedarType Type, SchemaPos Pos) : TypeExpr(Pos);

internal sealed record SetTypeExpr(TypeExpr Element, SchemaPos Pos) : TypeExpr(Pos);

internal sealed record RecordTypeExpr(List<AttributeDecl> Attributes, SchemaPos Pos) : TypeExpr(Pos);

internal sealed record AttributeDecl(string Name, TypeExpr Type, bool Required, ValueList<Annotation> Annotations, SchemaPos Pos);
