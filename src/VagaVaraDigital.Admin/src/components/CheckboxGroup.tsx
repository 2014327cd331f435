/** A fieldset of checkboxes for choosing several values (audiences); an empty choice means "all". */
export function CheckboxGroup({ legend, hint, name, options, value, onChange }: {
  legend: string; hint?: string; name: string; options: { value: string; label: string }[]; value: string[]; onChange: (v: string[]) => void;
}) {
  const toggle = (v: string) => onChange(value.includes(v) ? value.filter((x) => x !== v) : [...value, v]);
  return (
    <fieldset className="checkbox-group" aria-describedby={hint ? `${name}-hint` : undefined}>
      <legend>{legend}</legend>
      {hint && <p id={`${name}-hint`} className="hint">{hint}</p>}
      <ul>
        {options.map((o) => (
          <li key={o.value} className="checkbox">
            <input type="checkbox" id={`${name}-${o.value}`} name={name} value={o.value} checked={value.includes(o.value)} onChange={() => toggle(o.value)} />
            <label htmlFor={`${name}-${o.value}`}>{o.label}</label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}
