namespace Mandate.Core.Sessions;

/// <summary>
/// A call's reservation in the session ledger: the view the decision was made with, and the units the call took
/// (one call, a write, a rate slot). Exactly one of <see cref="SessionLedger.CommitAsync"/> (the call was allowed and
/// recorded) and <see cref="SessionLedger.Release"/> (denied, or its record failed) settles it.
/// </summary>
public sealed class SessionCharge
{
    internal SessionCharge(SessionCall call, SessionView before, long rateSecond)
    {
        Call = call;
        Before = before;
        RateSecond = rateSecond;
    }

    /// <summary>The call.</summary>
    public SessionCall Call { get; }

    /// <summary>The session before this call: what the decision sees.</summary>
    public SessionView Before { get; }

    internal long RateSecond { get; }

    // 0 open, 1 settled: a charge is committed or released once.
    internal int Settled;
}
