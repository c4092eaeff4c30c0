namespace Mandate.Server.Configuration;

/// <summary>A validated configuration, or every problem that stops it from being one.</summary>
/// <param name="Config">The configuration when there are no problems.</param>
/// <param name="Problems">All problems, in file order where possible.</param>
public sealed record ConfigLoadResult(MandateConfig? Config, IReadOnlyList<ConfigProblem> Problems)
{
    /// <summary>True when the file is valid.</summary>
    public bool Succeeded => Config is not null && Problems.Count == 0;
}
