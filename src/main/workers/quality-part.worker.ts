/** The quality job's second thread: reads half of a large version's rows and profiles part of its columns. */
import { runPartThread } from './quality/parallel.js';

runPartThread();
