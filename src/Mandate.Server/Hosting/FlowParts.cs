using Mandate.Core.Approvals;
using Mandate.Core.Sessions;
using Mandate.Server.Flow.Approve;
using Mandate.Server.Flow.Record;
using Mandate.Server.Flow.Shadow;
using Microsoft.Extensions.Logging;

namespace Mandate.Server.Hosting;

/// <summary>
/// The parts of the decision flow both planes share and that hold state: the journal, the session ledger, the
/// approval book and desk (with the webhook's HTTP client), the shadow bench. Opened from the stores once per process.
/// </summary>
internal sealed class FlowParts : IAsyncDisposable
{
    // Sessions older than a day are not loaded (task tokens live minutes to an hour); approvals older than a week neither.
    private static readonly TimeSpan SessionKeep = TimeSpan.FromDays(1);
    private static readonly TimeSpan ApprovalKeep = TimeSpan.FromDays(7);

    private readonly HttpClient _webhookClient;

    private FlowParts(DecisionJournal journal, SessionLedger sessions, ApprovalDesk approvals, ShadowBench shadow, HttpClient webhookClient)
    {
        Journal = journal;
        Sessions = sessions;
        Approvals = approvals;
        Shadow = shadow;
        _webhookClient = webhookClient;
    }

    public ShadowBench Shadow { get; }

    public DecisionJournal Journal { get; }

    public SessionLedger Sessions { get; }

    public ApprovalDesk Approvals { get; }

    public static async Task<FlowParts> OpenAsync(GatewayServices services, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        var now = services.Time.GetUtcNow();
        var journal = new DecisionJournal(services.Recorder, services.Time, logs.CreateLogger<DecisionJournal>());
        var sessions = await SessionLedger.OpenAsync(services.Sessions ?? new InMemorySessionStore(), now, SessionKeep, cancellationToken);
        var book = await ApprovalBook.OpenAsync(services.Approvals ?? new InMemoryApprovalStore(), now, ApprovalKeep, cancellationToken);
        var webhookClient = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false });
        var desk = new ApprovalDesk(book, journal, new ApprovalNotifier(webhookClient, services.Time), services.Time, logs.CreateLogger<ApprovalDesk>());
        return new FlowParts(journal, sessions, desk, new ShadowBench(journal, logs.CreateLogger<ShadowBench>()), webhookClient);
    }

    public async ValueTask DisposeAsync()
    {
        await Shadow.DisposeAsync();
        await Approvals.DisposeAsync();
        _webhookClient.Dispose();
    }
}
