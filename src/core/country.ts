// Countries: the ISO 3166-1 alpha-2 code a publisher or a series belongs to, and its English
// name from the runtime's own region data (Intl), so no list is kept here. Pure.
//
// | code given        | accepted? | why                                                        |
// |-------------------|-----------|------------------------------------------------------------|
// | CN, US, GB, AR... | yes       | an ISO 3166-1 alpha-2 code the region data names           |
// | EU                | yes       | reserved by ISO for the European Union (Eurostat's figures) |
// | UK                | no        | reserved, but the United Kingdom's code is GB               |
// | cn, USA, 156      | no        | two upper-case letters only                                |
// | XX, ZZ            | no        | no such country                                            |

const names = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });

/** Why `code` is not a country code lacuna accepts, or null. */
export function countryProblem(code: string): string | null {
  if (!/^[A-Z]{2}$/.test(code)) return `"${code}" is not a country code (two upper-case letters, ISO 3166-1 alpha-2: CN, US, GB)`;
  if (code === 'UK') return '"UK" is not the ISO 3166-1 code of the United Kingdom: use GB';
  const name = names.of(code);
  if (!name || name === code || name === 'Unknown Region') return `"${code}" is not an ISO 3166-1 alpha-2 country code`;
  return null;
}

/** The English name of a country code ('CN' -> 'China'); the code itself when the region data has none. */
export function countryName(code: string): string {
  return names.of(code) ?? code;
}
