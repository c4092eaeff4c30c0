using Mandate.Core.Decisions;
using Mandate.Core.Mcp;
using Mandate.Server.Forwarding;
using Mandate.Server.Flow.Identify;
using Mandate.Server.TaskTokens;

namespace Mandate.Server.Hosting;

/// <summary>The parts of the gateway that live in other rooms (identity, Cedar, audit, vault), handed to the host.</summary>
/// <param name="Authenticator">Verifies bearer tokens and client certificates.</param>
/// <param name="Compiler">Compiles policy inputs into a decision point.</param>
/// <param name="Recorder">The audit log.</param>
/// <param name="Secrets">The vault.</param>
/// <param name="Time">Clock.</param>
public sealed record GatewayServices(
    ICallerAuthenticator Authenticator,
    IPolicyCompiler Compiler,
    IDecisionRecorder Recorder,
    IUpstreamSecrets Secrets,
    TimeProvider Time)
{
    /// <summary>Where MCP tool pins are kept; null keeps them in memory (lost on restart).</summary>
    public IToolPinStore? ToolPins { get; init; }
    /// <summary>Where session state (calls, writes, tools, labels) is kept; null keeps it in memory (lost on restart).</summary>
    public Mandate.Core.Sessions.ISessionStore? Sessions { get; init; }

    /// <summary>Where approval requests are kept; null keeps them in memory (lost on restart).</summary>
    public Mandate.Core.Approvals.IApprovalStore? Approvals { get; init; }

    /// <summary>Task tokens (the <c>tokens</c> section); null when Mandate issues none.</summary>
    public TokenServices? Tokens { get; init; }
}
