using System.Collections.Immutable;
using Mandate.Cedar.Diagnostics;

namespace Mandate.Cedar.Ast;

/// <summary>
/// Instantiates templates: a linked policy is the template with its slots replaced by entities,
/// a new id, and <see cref="Policy.TemplateId"/> naming the template.
/// </summary>
public static class TemplateLinker
{
    /// <summary>Diagnostic code: the new id is already used by a policy or template.</summary>
    public const string DuplicateId = DiagnosticCodes.DuplicatePolicyId;

    /// <summary>
    /// Links template <paramref name="templateId"/> of <paramref name="set"/> as <paramref name="newId"/>,
    /// filling its slots from <paramref name="values"/>. Fails (without changing anything) when the
    /// template is unknown, a slot of the template has no value, a value names a slot the template
    /// lacks, or the id is taken.
    /// </summary>
    public static ParseResult<PolicySet> Link(PolicySet set, string templateId, string newId, IReadOnlyDictionary<SlotId, EntityUid> values)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(templateId);
        ArgumentNullException.ThrowIfNull(newId);
        ArgumentNullException.ThrowIfNull(values);
        var linked = Instantiate(set, templateId, newId, values, out var error);
        if (linked is null) return ParseResult<PolicySet>.Failure([error!]);
        return ParseResult<PolicySet>.Success(new PolicySet(set.Policies.Add(linked), set.Templates));
    }

    /// <summary>Builds the linked policy without adding it to the set; null with a diagnostic on failure.</summary>
    public static Policy? Instantiate(PolicySet set, string templateId, string newId, IReadOnlyDictionary<SlotId, EntityUid> values,
        out CedarDiagnostic? error)
    {
        error = null;
        Policy? template = null;
        foreach (var t in set.Templates)
        {
            if (t.Id == templateId) { template = t; break; }
        }
        if (template is null)
        {
            error = CedarDiagnostic.WithoutLocation(DiagnosticCodes.UnknownTemplate, $"no template with id `{templateId}`");
            return null;
        }
        if (set.Policies.Any(p => p.Id == newId) || set.Templates.Any(p => p.Id == newId))
        {
            error = CedarDiagnostic.WithoutLocation(DiagnosticCodes.DuplicatePolicyId, $"duplicate policy id `{newId}`");
            return null;
        }
        var wanted = ImmutableHashSet.CreateBuilder<SlotId>();
        if (template.Principal.Entity is EntityRef.SlotRef) wanted.Add(SlotId.Principal);
        if (template.Resource.Entity is EntityRef.SlotRef) wanted.Add(SlotId.Resource);
        foreach (var slot in wanted)
        {
            if (!values.ContainsKey(slot))
            {
                error = CedarDiagnostic.WithoutLocation(DiagnosticCodes.SlotMismatch,
                    $"template `{templateId}` needs a value for `{SlotText(slot)}`");
                return null;
            }
        }
        foreach (var slot in values.Keys)
        {
            if (!wanted.Contains(slot))
            {
                error = CedarDiagnostic.WithoutLocation(DiagnosticCodes.SlotMismatch,
                    $"template `{templateId}` has no slot `{SlotText(slot)}`");
                return null;
            }
        }
        return template with
        {
            Id = newId,
            TemplateId = templateId,
            Principal = Fill(template.Principal, values),
            Resource = Fill(template.Resource, values),
        };
    }

    private static ScopeConstraint Fill(ScopeConstraint scope, IReadOnlyDictionary<SlotId, EntityUid> values) =>
        scope.Entity is EntityRef.SlotRef slot ? scope with { Entity = new EntityRef.Literal(values[slot.Slot]) } : scope;

    private static string SlotText(SlotId slot) => slot == SlotId.Principal ? "?principal" : "?resource";
}
