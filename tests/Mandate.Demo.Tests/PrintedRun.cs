namespace Mandate.Demo.Tests;

/// <summary>A printed line run with bash: its exit code, standard output and standard error.</summary>
internal sealed record PrintedRun(PrintedStep Step, int ExitCode, string Output, string Error);
