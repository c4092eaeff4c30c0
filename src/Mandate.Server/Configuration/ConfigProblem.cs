namespace Mandate.Server.Configuration;

/// <summary>One problem in a configuration file: where (YAML path and line) and what.</summary>
/// <param name="Path">YAML path such as <c>routes[2].path</c>; empty for the whole file.</param>
/// <param name="Message">Short lowercase message.</param>
/// <param name="Line">1-based line in the file, when known.</param>
public sealed record ConfigProblem(string Path, string Message, int? Line)
{
    /// <inheritdoc />
    public override string ToString() =>
        (Line is null ? "" : $"line {Line}: ") + (Path.Length == 0 ? Message : $"{Path}: {Message}");
}
