namespace Mandate.Server.Fronts.AuthZen;

/// <summary>The AuthZEN endpoints' default paths (§9, table of API endpoints) and the metadata's well-known path.</summary>
public static class AuthZenPaths
{
    /// <summary>Access Evaluation API.</summary>
    public const string Evaluation = "/access/v1/evaluation";

    /// <summary>Access Evaluations API.</summary>
    public const string Evaluations = "/access/v1/evaluations";

    /// <summary>Subject Search API.</summary>
    public const string SearchSubject = "/access/v1/search/subject";

    /// <summary>Resource Search API.</summary>
    public const string SearchResource = "/access/v1/search/resource";

    /// <summary>Action Search API.</summary>
    public const string SearchAction = "/access/v1/search/action";

    /// <summary>Policy Decision Point metadata.</summary>
    public const string Metadata = "/.well-known/authzen-configuration";
}
