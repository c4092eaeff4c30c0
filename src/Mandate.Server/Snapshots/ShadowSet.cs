using Mandate.Core.Decisions;

namespace Mandate.Server.Snapshots;

/// <summary>
/// The candidate policy set decided beside the live one on every call, never affecting the answer: the folder
/// <c>policies.shadow</c> names, or else the live set with its <c>@shadow</c> policies in.
/// </summary>
/// <param name="DecisionPoint">The compiled candidate.</param>
/// <param name="Version">Content hash of the candidate's policy files, 16 hex digits.</param>
/// <param name="Source">The candidate folder, or <c>@shadow</c> when the candidate is the live folder's marked policies.</param>
public sealed record ShadowSet(IDecisionPoint DecisionPoint, string Version, string Source);
