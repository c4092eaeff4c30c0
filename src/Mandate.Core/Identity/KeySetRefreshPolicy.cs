namespace Mandate.Core.Identity;

/// <summary>When a cached key set is refreshed and how long it may be used when refreshing fails.</summary>
/// <param name="RefreshInterval">Age after which a refresh is started.</param>
/// <param name="MaxStaleness">Age (since the last successful fetch) past which the keys are not used at all.</param>
/// <param name="MinRefreshInterval">At most one fetch starts per this interval, unless forced (start-up, operator).</param>
internal sealed record KeySetRefreshPolicy(TimeSpan RefreshInterval, TimeSpan MaxStaleness, TimeSpan MinRefreshInterval);
