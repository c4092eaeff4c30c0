using Mandate.Cedar.Ast;

namespace Mandate.Cedar.Validation;

/// <summary>
/// A fact established by a guard: <c>Target has Attribute</c> or <c>Target.hasTag(TagKey)</c>.
/// Expressions compare structurally, so <c>principal has a &amp;&amp; principal.a</c> matches.
/// </summary>
internal sealed record Capability(Expr Target, string? Attribute, Expr? TagKey);
