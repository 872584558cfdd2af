/* libpq, loaded only when a PostgreSQL locator is first opened (as Cairo and Pango are for
 * printing, see pdf_libs.h): a start on an SQLite store maps none of it. The functions are
 * declared from <libpq-fe.h>, so every call is type-checked; the build needs the header only
 * (libpq-dev), the machine that connects needs libpq5. Include after every other header. */
#ifndef XINFANG_PQ_LOAD_H
#define XINFANG_PQ_LOAD_H

#include <libpq-fe.h>
#include "xinfang/util.h"

/* Every libpq function the PostgreSQL driver calls. */
#define XF_PQ_SYMBOLS(X) \
	X(PQbackendPID) \
	X(PQclear) \
	X(PQcmdStatus) \
	X(PQcmdTuples) \
	X(PQconninfoFree) \
	X(PQconninfoParse) \
	X(PQconnectdbParams) \
	X(PQconsumeInput) \
	X(PQdescribePrepared) \
	X(PQerrorMessage) \
	X(PQexec) \
	X(PQfinish) \
	X(PQfname) \
	X(PQfreemem) \
	X(PQftype) \
	X(PQgetResult) \
	X(PQgetisnull) \
	X(PQgetvalue) \
	X(PQisBusy) \
	X(PQnfields) \
	X(PQnotifies) \
	X(PQprepare) \
	X(PQputCopyData) \
	X(PQputCopyEnd) \
	X(PQreset) \
	X(PQresetPoll) \
	X(PQresetStart) \
	X(PQresultErrorField) \
	X(PQresultErrorMessage) \
	X(PQresultStatus) \
	X(PQsendQueryPrepared) \
	X(PQsetNoticeReceiver) \
	X(PQsetSingleRowMode) \
	X(PQsocket) \
	X(PQstatus) \
	X(PQtransactionStatus) \

struct xf_pq {
#define X(name) __typeof__(name) *name;
	XF_PQ_SYMBOLS(X)
#undef X
};
extern struct xf_pq xf_pq;

/* The library's name as the loader asks for it. */
#define XF_PQ_SONAME "libpq.so.5"

/* Loads libpq and finds its functions, once; a clear message (install libpq5) when missing. */
int pq_load(struct xf_err *err);
/* The same from a library of the given name (the tests name one that is not there). */
int pq_load_from(const char *soname, struct xf_err *err);

/* From here on, every call goes through the table (not in the file that fills it). */
#ifndef XF_PQ_LOADER
#define PQbackendPID (xf_pq.PQbackendPID)
#define PQclear (xf_pq.PQclear)
#define PQcmdStatus (xf_pq.PQcmdStatus)
#define PQcmdTuples (xf_pq.PQcmdTuples)
#define PQconninfoFree (xf_pq.PQconninfoFree)
#define PQconninfoParse (xf_pq.PQconninfoParse)
#define PQconnectdbParams (xf_pq.PQconnectdbParams)
#define PQconsumeInput (xf_pq.PQconsumeInput)
#define PQdescribePrepared (xf_pq.PQdescribePrepared)
#define PQerrorMessage (xf_pq.PQerrorMessage)
#define PQexec (xf_pq.PQexec)
#define PQfinish (xf_pq.PQfinish)
#define PQfname (xf_pq.PQfname)
#define PQfreemem (xf_pq.PQfreemem)
#define PQftype (xf_pq.PQftype)
#define PQgetResult (xf_pq.PQgetResult)
#define PQgetisnull (xf_pq.PQgetisnull)
#define PQgetvalue (xf_pq.PQgetvalue)
#define PQisBusy (xf_pq.PQisBusy)
#define PQnfields (xf_pq.PQnfields)
#define PQnotifies (xf_pq.PQnotifies)
#define PQprepare (xf_pq.PQprepare)
#define PQputCopyData (xf_pq.PQputCopyData)
#define PQputCopyEnd (xf_pq.PQputCopyEnd)
#define PQreset (xf_pq.PQreset)
#define PQresetPoll (xf_pq.PQresetPoll)
#define PQresetStart (xf_pq.PQresetStart)
#define PQresultErrorField (xf_pq.PQresultErrorField)
#define PQresultErrorMessage (xf_pq.PQresultErrorMessage)
#define PQresultStatus (xf_pq.PQresultStatus)
#define PQsendQueryPrepared (xf_pq.PQsendQueryPrepared)
#define PQsetNoticeReceiver (xf_pq.PQsetNoticeReceiver)
#define PQsetSingleRowMode (xf_pq.PQsetSingleRowMode)
#define PQsocket (xf_pq.PQsocket)
#define PQstatus (xf_pq.PQstatus)
#define PQtransactionStatus (xf_pq.PQtransactionStatus)
#endif

#endif
