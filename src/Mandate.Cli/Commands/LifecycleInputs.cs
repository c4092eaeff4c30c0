using Mandate.Server.Configuration;
using Mandate.Server.Lifecycle.Report;
using Mandate.Storage.Sqlite.Audit;

namespace Mandate.Cli.Commands;

/// <summary>
/// What <c>mandate report</c> and <c>mandate policy suggest</c> both start from: the configuration, the start of the
/// window, the parsed policies and where the audit log is. Problems go to stderr; null means exit 2.
/// </summary>
internal sealed record LifecycleInputs(MandateConfig Config, DateTimeOffset Now, DateTimeOffset Since, PolicyFacts Policies, SqliteAuditOptions Audit)
{
    /// <summary>Loads <paramref name="configPath"/> and reads <paramref name="window"/> (<c>30d</c>, <c>12h</c>, <c>90m</c>).</summary>
    public static async Task<LifecycleInputs?> LoadAsync(TextWriter error, string configPath, string? window, string? dataDir)
    {
        var loaded = MandateConfigLoader.Load(configPath);
        if (!loaded.Succeeded)
        {
            foreach (var p in loaded.Problems) await error.WriteLineAsync($"{configPath}: {p}");
            return null;
        }

        var now = DateTimeOffset.UtcNow;
        if (!AuditCommand.TryParseTime("-" + window, now, out var since) || since is null)
        {
            await error.WriteLineAsync($"error: --window `{window}` is not a span like 30d, 12h or 90m");
            return null;
        }

        var (policies, problems) = PolicyFacts.Read(loaded.Config!);
        if (policies is null)
        {
            foreach (var p in problems) await error.WriteLineAsync($"error: {p}");
            return null;
        }

        return new LifecycleInputs(loaded.Config!, now, since.Value, policies, new SqliteAuditOptions { DataDirectory = dataDir ?? loaded.Config!.DataDir });
    }
}
