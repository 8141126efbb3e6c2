/** Makes an identifier from the services (an audit action, a doctor check id) safe as one i18next key segment. */
export function keySegment(id: string): string {
  // '.' separates key levels and ':' namespaces in i18next.
  return id.replace(/[.:\s]/g, '_');
}
