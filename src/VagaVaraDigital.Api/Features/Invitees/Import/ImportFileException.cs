namespace VagaVaraDigital.Api.Features.Invitees.Import;

/// <summary>The file as a whole cannot be imported (a 400 problem; nothing is imported).</summary>
public sealed class ImportFileException(string code, string swedish, string english, int? row = null)
    : Exception(english)
{
    public string Code { get; } = code;
    public string Swedish { get; } = swedish;
    public string English { get; } = english;
    public int? Row { get; } = row;
}
