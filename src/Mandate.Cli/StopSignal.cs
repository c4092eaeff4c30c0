using System.Runtime.InteropServices;

namespace Mandate.Cli;

/// <summary>
/// A token cancelled by SIGINT or SIGTERM (or by an outer token), with the signal's default action — ending the
/// process at once — suppressed, so a long-running command can stop cleanly and choose its exit code.
/// </summary>
/// <remarks>
/// System.CommandLine registers its own handlers only after an async action first yields, so a command that
/// does synchronous work first (reading configuration, building the authenticator) would be killed with 143 by
/// a signal arriving then. Created as the first thing an action does, this closes that window.
/// </remarks>
internal sealed class StopSignal : IDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;

    /// <summary>Starts listening for SIGINT and SIGTERM.</summary>
    public StopSignal(CancellationToken outer)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(outer);
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    /// <summary>Cancelled when a stop was asked for.</summary>
    public CancellationToken Token => _stop.Token;

    /// <inheritdoc />
    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _stop.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The command had already finished.
        }
    }
}
