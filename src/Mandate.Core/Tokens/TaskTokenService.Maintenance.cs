namespace Mandate.Core.Tokens;

public sealed partial class TaskTokenService
{
    /// <summary>
    /// Runs until <paramref name="ct"/> is cancelled: every <paramref name="interval"/> rotates the signing key when due
    /// (so the JWKS moves on even when nothing is issued) and prunes expired records. A store failure is skipped and
    /// retried on the next round: pruning late only costs memory. Meant for a hosted background service.
    /// </summary>
    public async Task RunMaintenanceAsync(TimeSpan interval, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, _time, ct).ConfigureAwait(false);
                await Keys.RotateIfDueAsync(_time.GetUtcNow(), ct).ConfigureAwait(false);
                await PruneAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (TaskTokenStoreException)
            {
                // Retried next round; issuing and revoking report their own store failures.
            }
        }
    }
}
