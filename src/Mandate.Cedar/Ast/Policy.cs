using Mandate.Cedar.Diagnostics;

namespace Mandate.Cedar.Ast;

/// <summary>
/// One policy, or a template when its scope mentions a slot. A linked policy is a template
/// with its slots filled; it keeps the template's id in <see cref="TemplateId"/>.
/// </summary>
public sealed record Policy(
    string Id,
    Effect Effect,
    ScopeConstraint Principal,
    ActionConstraint Action,
    ScopeConstraint Resource,
    ValueList<Condition> Conditions,
    ValueList<Annotation> Annotations,
    SourceSpan Span = default,
    string? TemplateId = null)
{
    /// <summary>Whether any scope constraint is a slot (the policy is a template).</summary>
    public bool IsTemplate => Principal.Entity is EntityRef.SlotRef || Resource.Entity is EntityRef.SlotRef;

    /// <summary>The value of annotation <paramref name="key"/>, or null when absent.</summary>
    public string? Annotation(string key)
    {
        foreach (var a in Annotations)
        {
            if (a.Key == key) return a.Value;
        }
        return null;
    }
}

/// <summary>permit or forbid.</summary>
public enum Effect { Permit, Forbid }

/// <summary><c>@key("value")</c>; a bare <c>@key</c> has the empty string as value.</summary>
public sealed record Annotation(string Key, string Value);

/// <summary>A <c>when { … }</c> or <c>unless { … }</c> clause.</summary>
public sealed record Condition(ConditionKind Kind, Expr Body);

/// <summary>when or unless.</summary>
public enum ConditionKind { When, Unless }

/// <summary>An entity in a scope: a literal uid, or a template slot.</summary>
public abstract record EntityRef
{
    private EntityRef() { }

    /// <summary>A literal entity.</summary>
    public sealed record Literal(EntityUid Uid) : EntityRef;

    /// <summary>A slot to be filled when linking.</summary>
    public sealed record SlotRef(SlotId Slot) : EntityRef;
}

/// <summary>The kind of a principal or resource scope constraint.</summary>
public enum ScopeKind
{
    /// <summary>No constraint.</summary>
    Any,
    /// <summary><c>== entity</c></summary>
    Equal,
    /// <summary><c>in entity</c></summary>
    In,
    /// <summary><c>is Type</c></summary>
    Is,
    /// <summary><c>is Type in entity</c></summary>
    IsIn,
}

/// <summary>
/// A principal or resource scope constraint. <see cref="Entity"/> is set for Equal, In, IsIn;
/// <see cref="EntityType"/> for Is and IsIn.
/// </summary>
public sealed record ScopeConstraint(ScopeKind Kind, EntityRef? Entity = null, string? EntityType = null)
{
    /// <summary>The unconstrained scope.</summary>
    public static readonly ScopeConstraint Any = new(ScopeKind.Any);
}

/// <summary>The kind of an action scope constraint.</summary>
public enum ActionScopeKind
{
    /// <summary>No constraint.</summary>
    Any,
    /// <summary><c>action == A</c></summary>
    Equal,
    /// <summary><c>action in A</c></summary>
    In,
    /// <summary><c>action in [A, B]</c></summary>
    InList,
}

/// <summary>An action scope constraint; <see cref="Entities"/> holds one uid except for InList.</summary>
public sealed record ActionConstraint(ActionScopeKind Kind, ValueList<EntityUid> Entities)
{
    /// <summary>The unconstrained action scope.</summary>
    public static readonly ActionConstraint Any = new(ActionScopeKind.Any, ValueList<EntityUid>.Empty);
}
