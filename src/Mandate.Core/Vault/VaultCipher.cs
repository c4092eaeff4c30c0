using System.Security.Cryptography;
using System.Text;

namespace Mandate.Core.Vault;

/// <summary>
/// AES-256-GCM sealing of vault secrets: a fresh random 96-bit nonce per write and the secret's name as associated
/// data, so a ciphertext copied to another name does not open.
/// </summary>
public static class VaultCipher
{
    /// <summary>Nonce size in bytes (96 bits).</summary>
    public const int NonceSize = 12;

    /// <summary>Tag size in bytes (128 bits).</summary>
    public const int TagSize = 16;

    /// <summary>Associated data for <paramref name="name"/>: <c>"mandate.vault/v1:" + name</c>, UTF-8.</summary>
    public static byte[] AssociatedData(string name) => Encoding.UTF8.GetBytes("mandate.vault/v1:" + name);

    /// <summary>Id of a master key: first 16 hex chars of SHA-256 over a label and the key (reveals nothing usable).</summary>
    public static string KeyId(ReadOnlySpan<byte> key)
    {
        Span<byte> input = stackalloc byte[16 + key.Length];
        "mandate.vault.kid"u8.CopyTo(input);
        key.CopyTo(input[16..]);
        return Convert.ToHexStringLower(SHA256.HashData(input))[..16];
    }

    /// <summary>Encrypts; returns (nonce, ciphertext, tag).</summary>
    public static (byte[] Nonce, byte[] Ciphertext, byte[] Tag) Seal(ReadOnlySpan<byte> key, string name, ReadOnlySpan<byte> plaintext)
    {
        var nonce = RandomNumberGenerator.GetBytes(NonceSize);
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plaintext, ciphertext, tag, AssociatedData(name));
        return (nonce, ciphertext, tag);
    }

    /// <summary>Decrypts; null when the data does not authenticate under this key and name. The plaintext array is
    /// allocated pinned: a gateway keeps it for as long as the secret is current, and a moving collector would leave
    /// copies of it behind that wiping the array cannot reach.</summary>
    public static byte[]? Open(ReadOnlySpan<byte> key, string name, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag)
    {
        if (nonce.Length != NonceSize || tag.Length != TagSize)
        {
            return null;
        }
        var plaintext = GC.AllocateArray<byte>(ciphertext.Length, pinned: true);
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(nonce, ciphertext, tag, plaintext, AssociatedData(name));
            return plaintext;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }
}
