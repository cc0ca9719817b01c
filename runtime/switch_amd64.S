/*
 * switch_amd64.S — the context switch, x86-64 System V.
 *
 * A switched-out context is just a stack pointer; the stack it points at
 * holds, from low to high address:
 *     mxcsr (4 bytes), x87 control word (2 bytes), pad (2 bytes),
 *     r15, r14, r13, r12, rbx, rbp, return address
 * Those are the registers a called function must preserve, plus the
 * floating-point control state (rounding mode, exception masks), which is
 * per thread in hardware but per goroutine here.
 */
#if defined(__x86_64__)
	.text

/* void go__ctx_switch(void **save_sp, void *new_sp)
 * Save the running context, store its sp in *save_sp, resume new_sp. */
	.globl	go__ctx_switch
	.type	go__ctx_switch, @function
	.p2align 4
go__ctx_switch:
	.cfi_startproc
#if defined(__CET__)
	endbr64
#endif
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	subq	$8, %rsp
	stmxcsr	(%rsp)
	fnstcw	4(%rsp)
	movq	%rsp, (%rdi)
	movq	%rsi, %rsp
	ldmxcsr	(%rsp)
	fldcw	4(%rsp)
	addq	$8, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret
	.cfi_endproc
	.size	go__ctx_switch, .-go__ctx_switch

/* The first "return address" of a new context: call go__g_entry (C, never
 * returns).  rsp is 16-byte aligned here; rbp is zero so that unwinders
 * stop at this frame. */
	.globl	go__ctx_entry
	.type	go__ctx_entry, @function
	.p2align 4
go__ctx_entry:
	.cfi_startproc
	.cfi_undefined rip
#if defined(__CET__)
	endbr64
#endif
	xorl	%ebp, %ebp
	call	go__g_entry
	ud2
	.cfi_endproc
	.size	go__ctx_entry, .-go__ctx_entry
#endif
	.section .note.GNU-stack,"",@progbits
