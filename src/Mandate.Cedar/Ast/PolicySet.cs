using System.Collections.Immutable;
using Mandate.Cedar.Diagnostics;

namespace Mandate.Cedar.Ast;

/// <summary>
/// An immutable set of policies: static policies and linked template instances (both in
/// <see cref="Policies"/>, which is what authorization evaluates) and the templates themselves.
/// Ids are unique across policies and templates.
/// </summary>
public sealed class PolicySet
{
    /// <summary>The empty policy set.</summary>
    public static readonly PolicySet Empty = new(ImmutableArray<Policy>.Empty, ImmutableArray<Policy>.Empty);

    /// <summary>Creates a set; callers guarantee unique ids (the parser and <c>Link</c> do).</summary>
    public PolicySet(ImmutableArray<Policy> policies, ImmutableArray<Policy> templates)
    {
        Policies = policies;
        Templates = templates;
    }

    /// <summary>Static policies and template-linked policies, in source/link order.</summary>
    public ImmutableArray<Policy> Policies { get; }

    /// <summary>Templates (policies with slots), in source order.</summary>
    public ImmutableArray<Policy> Templates { get; }

    /// <summary>
    /// A new set with template <paramref name="templateId"/> linked as <paramref name="newId"/>
    /// (see <see cref="TemplateLinker.Link"/>); this set is unchanged.
    /// </summary>
    public ParseResult<PolicySet> Link(string templateId, string newId, IReadOnlyDictionary<SlotId, EntityUid> values) =>
        TemplateLinker.Link(this, templateId, newId, values);
}
