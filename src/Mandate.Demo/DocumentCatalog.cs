namespace Mandate.Demo;

/// <summary>
/// The sample API's documents. Fixed: the gateway learns each document's classification from the
/// entities file (<c>demo/entities.json</c>), and a test keeps the two in step.
/// </summary>
public static class DocumentCatalog
{
    /// <summary>Every document, one per classification.</summary>
    public static IReadOnlyList<Document> All { get; } =
    [
        new("handbook", "Employee handbook", "public", "Be kind. Ship small changes."),
        new("roadmap-2027", "Product roadmap 2027", "internal", "Q1: agents. Q2: more agents."),
        new("merger-plan", "Project Falcon", "secret", "We are buying the company across the street."),
    ];

    /// <summary>One document, or null.</summary>
    public static Document? Find(string id) => All.FirstOrDefault(d => string.Equals(d.Id, id, StringComparison.Ordinal));
}
