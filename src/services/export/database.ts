// The mapping lives in core (container mode runs the same images); export reads it from there.
export { officialDatabaseImage as exportedDatabase } from '../../core/databases/official-image.js';
