namespace Mandate.Demo;

/// <summary>A payment of the sample API.</summary>
/// <param name="Id">Payment id.</param>
/// <param name="Amount">Amount in minor units (cents).</param>
/// <param name="Currency">ISO 4217 code.</param>
/// <param name="Payee">Who is paid.</param>
/// <param name="Created">When it was created (UTC).</param>
public sealed record Payment(string Id, long Amount, string Currency, string Payee, DateTimeOffset Created);
