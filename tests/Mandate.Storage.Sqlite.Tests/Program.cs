using Mandate.Storage.Sqlite.Tests.Audit;

namespace Mandate.Storage.Sqlite.Tests;

/// <summary>
/// Entry point used only when a test starts this assembly as a child process; the test host never calls it.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["_audit-stress", var dir, var count, var concurrency, var walCheckpointBytes])
        {
            return await AuditStressChild.RunAsync(dir, int.Parse(count), int.Parse(concurrency), long.Parse(walCheckpointBytes));
        }
        Console.Error.WriteLine("usage: _audit-stress DIR COUNT CONCURRENCY WAL-CHECKPOINT-BYTES (0: the default)");
        return 2;
    }
}
