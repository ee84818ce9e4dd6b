/** Vosk transcription (models, streaming sessions, worker pool, vosk-server protocol). */
package io.livedesk.speech;
