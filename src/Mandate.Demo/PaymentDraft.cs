namespace Mandate.Demo;

/// <summary>Body of <c>POST /payments</c>.</summary>
/// <param name="Amount">Amount in minor units (cents), positive.</param>
/// <param name="Currency">ISO 4217 code; default EUR.</param>
/// <param name="Payee">Who is paid; required.</param>
public sealed record PaymentDraft(long? Amount, string? Currency, string? Payee);
