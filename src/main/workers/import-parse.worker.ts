/** The import's parser thread: reads and converts the file while the import worker inserts. */
import { runParserThread } from '../ingest/threaded-reader.js';

void runParserThread();
