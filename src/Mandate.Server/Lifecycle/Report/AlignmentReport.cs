using Mandate.Server.Configuration;

namespace Mandate.Server.Lifecycle.Report;

/// <summary>How far a framework item is answered by the controls in force.</summary>
public enum ItemCoverage
{
    /// <summary>A mapped control is in force.</summary>
    Covered,

    /// <summary>The best mapped control is partial.</summary>
    Partly,

    /// <summary>Mapped controls exist but none is configured (or built).</summary>
    NotCovered,

    /// <summary>Beyond what a gateway can see; the mapping table says why.</summary>
    OutOfScope,
}

/// <summary>
/// The framework alignment report of one configuration: every control assessed, every framework item with the
/// coverage its controls give, and the audit evidence of the window. Written by <see cref="ReportWriters"/>.
/// </summary>
public sealed record AlignmentReport(
    DateTimeOffset GeneratedAt,
    string ConfigPath,
    TimeSpan Window,
    AuditEvidence? Audit,
    FrameworkCatalogue Catalogue,
    IReadOnlyDictionary<string, ControlAssessment> Controls)
{
    /// <summary>Assesses <paramref name="config"/> with the shipped mapping table.</summary>
    public static AlignmentReport Build(MandateConfig config, PolicyFacts policies, AuditEvidence? audit, TimeSpan window, DateTimeOffset now) =>
        new(now, config.SourcePath, window, audit, FrameworkCatalogue.Shipped, ControlAssessor.Assess(config, policies, audit));

    /// <summary>The controls that answer <paramref name="item"/>.</summary>
    public IEnumerable<ControlDefinition> ControlsFor(FrameworkItem item) =>
        Catalogue.Controls.Where(c => c.Maps.Any(m => m.Item == item));

    /// <summary>The coverage of <paramref name="item"/>: the best status among its controls.</summary>
    public ItemCoverage CoverageOf(FrameworkItem item)
    {
        if (item.OutOfScope is not null)
        {
            return ItemCoverage.OutOfScope;
        }

        var statuses = ControlsFor(item).Select(c => Controls[c.Id].Status).ToArray();
        return statuses.Contains(ControlStatus.InForce) ? ItemCoverage.Covered
            : statuses.Contains(ControlStatus.Partial) ? ItemCoverage.Partly
            : ItemCoverage.NotCovered;
    }

    /// <summary>The text form of a coverage in every output.</summary>
    public static string Name(ItemCoverage coverage) => coverage switch
    {
        ItemCoverage.Covered => "covered",
        ItemCoverage.Partly => "partly",
        ItemCoverage.NotCovered => "not-covered",
        _ => "out-of-scope",
    };
}
