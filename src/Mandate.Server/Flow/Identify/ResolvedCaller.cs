using Mandate.Core.Decisions;
using Mandate.Core.Tokens;

namespace Mandate.Server.Flow.Identify;

/// <summary>A verified caller: who it is for the decision path, and the task token it presented, if any.</summary>
/// <param name="Identity">The agent, how it proved itself, for whom it acts (the Cedar principal is its agent id).</param>
/// <param name="Task">The verified task token (its session, task and delegation), when the caller presented one.</param>
/// <param name="RootSessionId">The root session of the task token's delegation tree (its own session for a root token).</param>
public readonly record struct ResolvedCaller(CallerIdentity Identity, TaskTokenPrincipal? Task, string? RootSessionId = null);
