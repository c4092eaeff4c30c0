using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

/// <summary>The resources and the template the resources-* scenarios read.</summary>
[McpServerResourceType]
public sealed class ConformanceResources
{
    /// <summary>resources-read-text.</summary>
    [McpServerResource(UriTemplate = "test://static-text", Name = "static-text", MimeType = "text/plain")]
    public static string StaticText() => "This is the content of the static text resource.";

    /// <summary>resources-read-binary.</summary>
    [McpServerResource(UriTemplate = "test://static-binary", Name = "static-binary", MimeType = "image/png")]
    public static BlobResourceContents StaticBinary() => BlobResourceContents.FromBytes(ConformanceTools.Png, "test://static-binary", "image/png");

    /// <summary>resources-subscribe / resources-unsubscribe subscribe to this one.</summary>
    [McpServerResource(UriTemplate = "test://watched-resource", Name = "watched-resource", MimeType = "text/plain")]
    public static string Watched() => "Watched resource content";

    /// <summary>resources-templates-read.</summary>
    [McpServerResource(UriTemplate = "test://template/{id}/data", Name = "template", MimeType = "application/json")]
    public static string Template(string id) => $$"""{"id":"{{id}}","templateTest":true,"data":"Data for ID: {{id}}"}""";
}
